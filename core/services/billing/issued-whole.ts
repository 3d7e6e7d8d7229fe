// A billed invoice travels as ONE change: its whole row at its creation's clock, read when it
// is pushed (db/sync/outbox.ts), instead of the draft's fields, its lines, its totals and then
// the issue command. Nobody but this transaction ever saw the draft (the run creates, prices
// and issues it before committing), so its intermediate states are no one's: what the hub and
// the other devices must receive is the issued document, and the hub takes a whole-row
// invoice as it takes an issue command (server/HUB.md "Issuing is a command": expanded into
// fields, judged, derived totals recomputed from the lines, the first issue wins). It carries
// the creation's clock, not the issue's, so it reaches the hub before the period claims that
// name it (the hub applies a batch in clock order and judges a claim against the invoice it
// holds). One row where there were ~40 is most of what the billing run's change log cost.
import type { Ctx } from '../context';

/**
 * The one-by-one path's side (billGroup, after issueInvoice): its invoice's change-log rows,
 * all written in the current transaction, become the one whole-row change the batch path
 * (./bulk-issue.ts) writes directly, in the place of the first (so it stays before the claims
 * in the log's order too).
 */
export function logIssuedWhole(ctx: Ctx, invoiceId: string): void {
  // Rows another transaction committed may already be pushed: never rewritten.
  if (!ctx.raw.inTransaction) throw new Error('logIssuedWhole: outside the billing transaction');
  const first = ctx.raw
    .prepare("SELECT min(seq) FROM change_log WHERE table_name = 'invoices' AND row_id = ?")
    .pluck()
    .get(invoiceId) as number | null;
  if (first === null) return;
  ctx.raw
    .prepare("UPDATE change_log SET column_name = '*', value = NULL, hub_seq = NULL WHERE seq = ?")
    .run(first);
  ctx.raw
    .prepare("DELETE FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND seq > ?")
    .run(invoiceId, first);
}
