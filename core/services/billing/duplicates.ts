// Two devices that billed the same period offline (server/HUB.md "Renewals"): both claims of
// the period's key reach every device, and every device elects the same one by a rule that
// needs nothing but the claims and their invoices —
//   an issued invoice before a draft (a draft can still give the line up, an issued one cannot),
//   then the smaller invoice id (ids are UUIDv7: the invoice created first).
// The other invoice gives the period up:
// - a draft loses the line (and is deleted when no line is left) on whichever firm device sees
//   it first; two devices doing so write the same lines;
// - an issued invoice is immutable: the device that issued it (its series is this device's)
//   cancels those lines by an automatic credit note, once, and what was paid on them goes to the
//   payer's prepaid account (the credit note's own rule). Only that device does it, so two
//   devices never both credit it.
import { can } from '#common/authority/table';
import { type InvoiceLine, invoices } from '#db/schema/index';
import { actorOn } from '../authority';
import type { Ctx } from '../context';
import { createCreditNote } from '../invoices/credit-notes.service';
import { getInvoice, vatFor } from '../invoices/detail';
import { lineInputsOf, writeLines } from '../invoices/drafts.service';
import { getOrganization } from '../organizations.service';

/** The note of an automatic credit note, and how the accountant finds them. */
export const DUPLICATE_NOTE = 'renewal_duplicate';

interface Claim {
  period_key: string;
  product_id: string;
  invoice_id: string;
  line_description: string;
  status: string;
}

export interface DuplicateReport {
  draftsTrimmed: number;
  draftsDeleted: number;
  creditNotes: { invoiceId: string; invoiceNumber: string | null; creditNoteNumber: string | null }[];
}

const rank = (c: Claim) => (c.status === 'draft' ? 1 : 0);
const elect = (a: Claim, b: Claim) => rank(a) - rank(b) || (a.invoice_id < b.invoice_id ? -1 : 1);

/** Every key claimed by more than one live invoice, with the claims that lost it. */
export function losingClaims(ctx: Ctx): Claim[] {
  const rows = ctx.raw
    .prepare(
      `SELECT r.period_key, r.product_id, r.invoice_id, r.line_description, i.status
       FROM renewals r JOIN invoices i ON i.id = r.invoice_id
       WHERE i.deleted_at IS NULL AND r.period_key IN (
         SELECT r2.period_key FROM renewals r2 JOIN invoices i2 ON i2.id = r2.invoice_id
         WHERE i2.deleted_at IS NULL GROUP BY r2.period_key HAVING count(DISTINCT r2.invoice_id) > 1)
       ORDER BY r.period_key`,
    )
    .all() as Claim[];
  const byKey = new Map<string, Claim[]>();
  for (const r of rows) byKey.set(r.period_key, [...(byKey.get(r.period_key) ?? []), r]);
  const losers: Claim[] = [];
  for (const claims of byKey.values()) losers.push(...[...claims].sort(elect).slice(1));
  return losers;
}

/** Whether this device issued the invoice: its series is one of this device's own. */
function issuedHere(ctx: Ctx, invoiceId: string): boolean {
  const hit = ctx.raw
    .prepare(
      `SELECT 1 FROM invoices i JOIN invoice_series s
         ON s.issuer_organization_id = i.issuer_organization_id AND s.kind = i.kind AND s.device_id = ?
        AND i.series LIKE '%-' || s.year || '-' || s.code
       WHERE i.id = ?`,
    )
    .get(ctx.deviceId, invoiceId);
  return hit !== undefined;
}

function alreadyCredited(ctx: Ctx, invoiceId: string): boolean {
  return (
    ctx.raw
      .prepare(
        `SELECT 1 FROM invoices WHERE corrects_invoice_id = ? AND kind = 'credit_note' AND notes LIKE ?`,
      )
      .get(invoiceId, `${DUPLICATE_NOTE}%`) !== undefined
  );
}

/** A line gives its period up only when every period it bills was lost (a catch-up line bills several). */
function lostLines(
  ctx: Ctx,
  invoiceId: string,
  lost: readonly Claim[],
): { keep: InvoiceLine[]; drop: InvoiceLine[] } {
  const lines = getInvoice(ctx, invoiceId).lines;
  const claims = ctx.raw
    .prepare('SELECT period_key, product_id, line_description FROM renewals WHERE invoice_id = ?')
    .all(invoiceId) as Claim[];
  const lostKeys = new Set(lost.map((c) => c.period_key));
  const drop: InvoiceLine[] = [];
  const keep: InvoiceLine[] = [];
  for (const line of lines) {
    const mine = claims.filter(
      (c) => c.product_id === line.productId && c.line_description === line.description,
    );
    if (mine.length > 0 && mine.every((c) => lostKeys.has(c.period_key))) drop.push(line);
    else keep.push(line);
  }
  return { keep, drop };
}

export function settleDuplicateRenewals(ctx: Ctx): DuplicateReport {
  const report: DuplicateReport = { draftsTrimmed: 0, draftsDeleted: 0, creditNotes: [] };
  const byInvoice = new Map<string, Claim[]>();
  for (const c of losingClaims(ctx)) byInvoice.set(c.invoice_id, [...(byInvoice.get(c.invoice_id) ?? []), c]);
  for (const [invoiceId, lost] of byInvoice) {
    const invoice = getInvoice(ctx, invoiceId);
    if (!can(actorOn(ctx, invoice.issuerOrganizationId), 'invoices', 'update', 'status')) continue;
    const { keep, drop } = lostLines(ctx, invoiceId, lost);
    if (drop.length === 0) continue;
    if (invoice.status === 'draft') {
      ctx.write('renewal.duplicate_dropped', (tx) => {
        if (keep.length === 0) {
          tx.remove(invoices, invoiceId);
          report.draftsDeleted++;
        } else {
          const issuer = getOrganization(ctx, invoice.issuerOrganizationId);
          const payer = getOrganization(ctx, invoice.organizationId);
          writeLines(tx, ctx, invoice, lineInputsOf(keep), vatFor(issuer, payer));
          report.draftsTrimmed++;
        }
      });
      continue;
    }
    if (invoice.kind !== 'invoice' || invoice.status === 'cancelled' || invoice.status === 'refunded')
      continue;
    if (!issuedHere(ctx, invoiceId) || alreadyCredited(ctx, invoiceId)) continue;
    const note = createCreditNote(ctx, {
      invoiceId,
      lines: lineInputsOf(drop),
      notes: `${DUPLICATE_NOTE}: ${[...new Set(lost.map((c) => c.period_key))].join(', ')}`.slice(0, 2000),
    });
    report.creditNotes.push({ invoiceId, invoiceNumber: invoice.number, creditNoteNumber: note.number });
  }
  return report;
}
