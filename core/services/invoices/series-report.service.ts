import type { Ctx } from '../context';

// Gapless means every number of a series is an invoice or a documented void (issue 11): the
// report lists, per issuer and series, how many numbers were consumed, which are voids (an
// issue that lost a race to another device's issue of the same draft: the number it drew,
// when, why, and the number the document carries instead) and any sequence that is neither
// (which must never happen; the report says so rather than hide it).

export interface SeriesVoid {
  number: string;
  sequence: number;
  voidedOn: string;
  reason: string;
  invoiceId: string;
  winningNumber: string | null;
  deviceId: string;
}

export interface SeriesReportRow {
  issuerOrganizationId: string;
  issuerName: string;
  series: string;
  /** Documents issued with a number of this series. */
  issued: number;
  voids: SeriesVoid[];
  /** Highest sequence consumed (by a document or a void). */
  lastSequence: number;
  /** Sequences from 1 to lastSequence that are neither a document nor a void. */
  missing: number[];
}

export function invoiceSeriesReport(ctx: Ctx, input: { issuerOrganizationId?: string }): SeriesReportRow[] {
  const issuer = input.issuerOrganizationId ?? null;
  const used = ctx.raw
    .prepare(
      `SELECT issuer_organization_id AS issuer, series, sequence, 'invoice' AS what FROM invoices
         WHERE sequence IS NOT NULL AND series IS NOT NULL AND (? IS NULL OR issuer_organization_id = ?)
       UNION ALL
       SELECT issuer_organization_id, series, sequence, 'void' FROM invoice_voids
         WHERE (? IS NULL OR issuer_organization_id = ?)
       ORDER BY 1, 2, 3`,
    )
    .all(issuer, issuer, issuer, issuer) as {
    issuer: string;
    series: string;
    sequence: number;
    what: string;
  }[];
  const voids = ctx.raw
    .prepare(
      `SELECT issuer_organization_id AS issuer, series, sequence, number, voided_on, reason, invoice_id,
              winning_number, device_id
       FROM invoice_voids WHERE (? IS NULL OR issuer_organization_id = ?) ORDER BY series, sequence`,
    )
    .all(issuer, issuer) as {
    issuer: string;
    series: string;
    sequence: number;
    number: string;
    voided_on: string;
    reason: string;
    invoice_id: string;
    winning_number: string | null;
    device_id: string;
  }[];
  const names = new Map(
    (ctx.raw.prepare('SELECT id, name FROM organizations').all() as { id: string; name: string }[]).map(
      (o) => [o.id, o.name],
    ),
  );
  const rows = new Map<string, SeriesReportRow & { seen: Set<number> }>();
  for (const u of used) {
    const key = `${u.issuer}\u0000${u.series}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        issuerOrganizationId: u.issuer,
        issuerName: names.get(u.issuer) ?? '',
        series: u.series,
        issued: 0,
        voids: [],
        lastSequence: 0,
        missing: [],
        seen: new Set(),
      };
      rows.set(key, row);
    }
    if (u.what === 'invoice') row.issued++;
    row.seen.add(u.sequence);
    row.lastSequence = Math.max(row.lastSequence, u.sequence);
  }
  for (const v of voids) {
    rows.get(`${v.issuer}\u0000${v.series}`)?.voids.push({
      number: v.number,
      sequence: v.sequence,
      voidedOn: v.voided_on,
      reason: v.reason,
      invoiceId: v.invoice_id,
      winningNumber: v.winning_number,
      deviceId: v.device_id,
    });
  }
  return [...rows.values()].map(({ seen, ...row }) => {
    for (let s = 1; s <= row.lastSequence; s++) if (!seen.has(s)) row.missing.push(s);
    return row;
  });
}
