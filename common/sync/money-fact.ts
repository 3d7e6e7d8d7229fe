// One money record written on two devices under the same deterministic id (a payment recorded
// from a bank statement entry, the deposit of its over-payment: core/services/bank/statements.ts)
// is one fact: the hub keeps the first and answers the second as a duplicate, and a device
// holding its own copy takes the hub's stamp, so every store ends with the same row. Records
// that differ in anything but their stamp stay a refusal (money is append-only).

/** Columns that say when and where a money record was written, not what it records. */
export const MONEY_STAMP_COLUMNS: ReadonlySet<string> = new Set([
  'hlc',
  'created_at',
  'updated_at',
  'booked_on',
]);

/** Whether two whole money rows (wire form, snake_case columns) record the same fact. */
export function sameMoneyFact(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const columns = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const column of columns) {
    if (MONEY_STAMP_COLUMNS.has(column)) continue;
    if ((a[column] ?? null) !== (b[column] ?? null)) return false;
  }
  return true;
}
