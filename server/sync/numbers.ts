import type { ChangeResult } from '#common/sync/protocol';
import type { Sql } from '../store/types';
import type { Fields } from './tables';

// Invoice numbers as the hub holds them (hub_numbers): one number per issuer, whatever
// device issued it, and always its series followed by its sequence.

const reject = (reason: string, detail: Record<string, unknown>): ChangeResult => ({
  outcome: 'rejected',
  hubSeq: null,
  reason,
  detail,
});

export const numberOf = (series: string, sequence: number) =>
  `${series}-${String(sequence).padStart(6, '0')}`;

export async function numberProblem(sql: Sql, rowId: string, f: Fields): Promise<ChangeResult | null> {
  if (f.number === null || f.number === undefined) return null;
  if (
    typeof f.series !== 'string' ||
    typeof f.sequence !== 'number' ||
    f.number !== numberOf(f.series, f.sequence)
  )
    return reject('invoice_number_mismatch', {
      number: f.number,
      series: f.series ?? null,
      sequence: f.sequence ?? null,
    });
  if (typeof f.issuer_organization_id !== 'string') return null;
  const taken = await sql.all<{ row_id: string }>(
    'SELECT row_id FROM hub_numbers WHERE issuer_id = ? AND number = ?',
    [JSON.stringify(f.issuer_organization_id), JSON.stringify(f.number)],
  );
  if (taken[0] && taken[0].row_id !== rowId) return reject('invoice_number_reused', { number: f.number });
  return null;
}

/** Records an applied number (values as JSON text, as hub_fields holds them). */
export async function recordNumber(sql: Sql, rowId: string, f: Fields): Promise<void> {
  if (typeof f.number !== 'string' || typeof f.issuer_organization_id !== 'string') return;
  await sql.run(
    'INSERT INTO hub_numbers (issuer_id, number, row_id) VALUES (?, ?, ?) ON CONFLICT (issuer_id, number) DO NOTHING',
    [JSON.stringify(f.issuer_organization_id), JSON.stringify(f.number), rowId],
  );
}
