// Issuing: the party snapshots, the gapless number from a series per issuer, kind, year and
// device, the payment reference (QRR or SCOR), and the due date; an issued invoice is
// immutable from then on (triggers in the store).
import { and, eq, sql } from 'drizzle-orm';
import {
  type BillingAddress,
  billingAddresses,
  type InvoiceKind,
  invoiceLines,
  invoiceSeries,
  invoices,
  type Organization,
  organizations,
  type PartySnapshot,
} from '#db/schema/index';
import { addDays, todayIso } from '#common/dates';
import { fail } from '#common/errors';
import { issuerCodeOf, type Numbering, numbering } from '#common/invoice-numbering';
import { compactIban, isQrIban, isValidIban, qrrReference, scorReference } from '#common/payment-reference';

import { linesToWire, rowToWire } from '#db/sync/outbox';
import { forWire, LINES_COLUMN, SYNC_TABLES } from '#db/sync/tables';
import { atomically, type Ctx, type WriteTx } from '../context';
import type { Readiness } from '../../export/einvoice/readiness';
import type { EinvoiceProblem } from '#common/i18n/einvoice-problems';
import { issueReadiness } from '../einvoices.service';
import { firmGaps } from '../firm.service';
import { getOrganization } from '../organizations.service';
import { getInvoice, type InvoiceDetail, vatFor } from './detail';
import { defaultAddress } from '../addresses.service';
import { draftOf } from './drafts.service';

export function snapshotOf(org: Organization, address: BillingAddress | undefined): PartySnapshot {
  return {
    name: org.name,
    recipient: address?.recipient ?? org.name,
    street: address?.line1 ?? '',
    line2: address?.line2 ?? null,
    postalCode: address?.postalCode ?? '',
    city: address?.city ?? '',
    country: address?.country ?? org.country,
    vatNumber: org.vatNumber,
    uid: org.uid,
    email: address?.email ?? null,
    iban: org.iban ? compactIban(org.iban) : null,
    streetName: address?.street ?? null,
    buildingNumber: address?.buildingNumber ?? null,
    shortName: org.shortName,
    siren: org.siren,
    siret: org.siret,
    leitwegId: org.leitwegId,
    peppolId: org.peppolId,
    bic: org.bic,
    qrIban: org.qrIban,
    operationCategory: org.operationCategory,
    vatOnDebits: org.vatOnDebits,
    ...(org.paymentMeansCode ? { paymentMeansCode: org.paymentMeansCode } : {}),
    ...(org.invoiceFooter ? { footer: org.invoiceFooter } : {}),
  };
}

/** The series the hub assigned at enrollment, for the identity it was assigned to. */
export function assignedSeriesCode(ctx: Ctx): string | null {
  const row = ctx.raw
    .prepare('SELECT series_code FROM sync_state WHERE id = 1 AND enrolled_device_id = ?')
    .pluck()
    .get(ctx.deviceId) as string | null | undefined;
  return row ?? null;
}

export function seriesCode(deviceId: string): string {
  return deviceId.slice(0, 6).toUpperCase();
}

/**
 * A series per issuer, kind, year and device: two offline devices never draw the same
 * number. The sequence runs on per issuer whatever code it numbers with (a reference minted
 * from it must never repeat for that creditor); the issuer's code in the number makes it
 * unique across the book, which is checked here against every other issuer.
 */
function nextNumber(
  tx: WriteTx,
  ctx: Ctx,
  issuer: Organization,
  kind: InvoiceKind,
  issuedOn: string,
): Numbering {
  const year = Number(issuedOn.slice(0, 4));
  const code = assignedSeriesCode(ctx) ?? seriesCode(ctx.deviceId);
  const id = `${issuer.id}:${kind}:${year}:${code}`;
  let series = tx.db.select().from(invoiceSeries).where(eq(invoiceSeries.id, id)).get();
  if (!series) {
    series = tx.db
      .insert(invoiceSeries)
      .values({
        id,
        issuerOrganizationId: issuer.id,
        kind,
        year,
        code,
        deviceId: ctx.deviceId,
        nextSequence: 1,
      })
      .returning()
      .get();
  }
  const sequence = series.nextSequence;
  tx.db
    .update(invoiceSeries)
    .set({ nextSequence: sequence + 1 })
    .where(eq(invoiceSeries.id, id))
    .run();
  // Not logged for sync: a series belongs to this device alone, and the numbers it hands
  // out travel with the invoices that carry them.
  const numbers = numbering(kind, issuerCodeOf(issuer), year, code, sequence);
  const holder = tx.db
    .select({ issuerOrganizationId: invoices.issuerOrganizationId })
    .from(invoices)
    .where(and(eq(invoices.number, numbers.number), sql`${invoices.issuerOrganizationId} <> ${issuer.id}`))
    .get();
  if (holder) {
    // Two issuers whose codes coincide: refused rather than a second document under one
    // number. Choosing an invoice code for one of them ends it.
    const other = tx.db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, holder.issuerOrganizationId))
      .get();
    fail('invoice_number_taken', {
      number: numbers.number,
      issuer: issuer.name,
      other: other?.name ?? holder.issuerOrganizationId,
    });
  }
  return numbers;
}

export function paymentReferenceFor(
  issuer: Pick<PartySnapshot, 'iban' | 'qrIban'>,
  kind: InvoiceKind,
  numbering: Numbering,
): { referenceType: 'QRR' | 'SCOR' | 'NON'; paymentReference: string | null } {
  if (kind === 'credit_note') return { referenceType: 'NON', paymentReference: null };
  if (issuer.qrIban || (issuer.iban && isQrIban(issuer.iban))) {
    const kindDigit = kind === 'invoice' ? '1' : '2';
    return {
      referenceType: 'QRR',
      paymentReference: qrrReference(
        `${numbering.year}${kindDigit}${numbering.codeDigits}${String(numbering.sequence).padStart(9, '0')}`,
      ),
    };
  }
  return { referenceType: 'SCOR', paymentReference: scorReference(numbering.referenceBase) };
}

/**
 * What the issuer itself lacks for this document to be a legal invoice with a way to pay it
 * (firmGaps, the list the firm screen shows): an address always, a VAT number when VAT is
 * charged, an account to be paid on unless it is a credit note.
 */
export function issuerProblems(
  issuer: Organization,
  address: BillingAddress | undefined,
  kind: InvoiceKind,
  taxedLines: readonly { vatRateBp: number }[],
): EinvoiceProblem[] {
  const params = { name: issuer.name, organizationId: issuer.id };
  const problems: EinvoiceProblem[] = [];
  for (const gap of firmGaps(issuer, address)) {
    if (gap === 'address') problems.push({ code: 'issuer_address_missing', params, party: 'issuer' });
    if (gap === 'tax_id' && taxedLines.some((l) => l.vatRateBp > 0))
      problems.push({ code: 'seller_vat_missing', params, party: 'issuer' });
    if (gap === 'iban' && kind !== 'credit_note')
      problems.push({ code: 'issuer_iban_missing', params, party: 'issuer' });
  }
  return problems;
}

/** Thrown through the issuing transaction by a dry run (checkIssue): nothing stays written. */
class DryRun extends Error {
  constructor(readonly result: Readiness) {
    super('dry run');
  }
}

/**
 * What issuing this draft now would find: the problems that refuse it and the QR-bill
 * transliterations to show the person first. Issues inside a transaction that is rolled back.
 */
export function checkIssue(ctx: Ctx, id: string, issuedOn?: string): Readiness {
  try {
    atomically(ctx, () => issueInvoice(ctx, id, issuedOn, { dryRun: true }));
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
  throw new Error('checkIssue: the dry run was not rolled back');
}

export function issueInvoice(
  ctx: Ctx,
  id: string,
  issuedOn?: string,
  options: { dryRun?: boolean } = {},
): InvoiceDetail {
  ctx.write(
    'invoice.issued',
    (tx) => {
      const invoice = draftOf(ctx, id);
      const lines = tx.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).all();
      if (lines.length === 0) fail('invoice_empty');
      const payer = getOrganization(ctx, invoice.organizationId);
      const issuer = getOrganization(ctx, invoice.issuerOrganizationId);
      const decision = vatFor(issuer, payer);
      for (const line of lines) {
        if (!decision.allowedRatesBp.includes(line.vatRateBp)) {
          fail('vat_rate_not_allowed', {
            rate: `${line.vatRateBp / 100} %`,
            allowed: decision.allowedRatesBp.map((r) => `${r / 100} %`).join(', '),
          });
        }
      }
      if (issuer.iban && !isValidIban(issuer.iban)) fail('issuer_iban_invalid', { iban: issuer.iban });
      const address = invoice.billingAddressId
        ? tx.db.select().from(billingAddresses).where(eq(billingAddresses.id, invoice.billingAddressId)).get()
        : defaultAddress(tx.db, payer.id);
      if (!address) fail('billing_address_missing', { name: payer.name });
      const issuerAddress = defaultAddress(tx.db, issuer.id);
      const day = issuedOn ?? todayIso(ctx.clock.now());
      const numbering = nextNumber(tx, ctx, issuer, invoice.kind, day);
      const issuerSnapshot = snapshotOf(issuer, issuerAddress);
      tx.update(invoices, id, {
        status: 'unpaid',
        series: numbering.series,
        sequence: numbering.sequence,
        number: numbering.number,
        issuedOn: day,
        dueOn: invoice.kind === 'invoice' ? addDays(day, issuer.paymentTermDays) : null,
        billingAddressId: address.id,
        billTo: snapshotOf(payer, address),
        issuer: issuerSnapshot,
        reverseCharge: decision.reverseCharge,
        ...paymentReferenceFor(issuerSnapshot, invoice.kind, numbering),
      });
      // Never a number for a document whose e-invoice or QR-bill would be refused.
      const ready = issueReadiness(ctx, id);
      ready.problems.unshift(
        ...issuerProblems(issuer, issuerAddress, invoice.kind, decision.reverseCharge ? [] : lines).filter(
          (p) => !ready.problems.some((q) => q.code === p.code),
        ),
      );
      if (options.dryRun) throw new DryRun(ready);
      if (ready.problems.length) fail('einvoice_not_ready', { problems: ready.problems });
      logIssueCommand(tx, ctx, id);
    },
    { durable: true },
  );
  return getInvoice(ctx, id);
}

/**
 * Issuing is a command, not a field edit: the whole document as issued here — every field,
 * its lines, no tombstone — travels under the issue's one timestamp, so the hub and every
 * device apply it whole and no draft edit or delete, whatever its clock, changes it afterwards
 * (db/sync/issue-apply.ts, server/sync/issue-race.ts).
 */
function logIssueCommand(tx: WriteTx, ctx: Ctx, id: string): void {
  const hlc = ctx.raw
    .prepare(
      "SELECT hlc FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND column_name = 'status' ORDER BY seq DESC LIMIT 1",
    )
    .pluck()
    .get(id) as string;
  ctx.raw
    .prepare("DELETE FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND hlc = ?")
    .run(id, hlc);
  for (const [column, value] of issueCommand(ctx.raw, id)) tx.logChange('invoices', id, column, value, hlc);
}

/**
 * The issue command's values: every field of the issued document as stored (derived ones
 * aside), then its lines — what logIssueCommand logs, and the billing run's bulk issue too.
 */
export function issueCommand(
  raw: Ctx['raw'],
  id: string,
  read: { row: (id: string) => unknown; lines: (id: string) => unknown[] } = {
    row: (i) => raw.prepare('SELECT * FROM invoices WHERE id = ?').get(i),
    lines: (i) => raw.prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position').all(i),
  },
): [string, unknown][] {
  const table = SYNC_TABLES.get('invoices');
  if (!table) return [];
  const row = read.row(id) as Record<string, unknown>;
  const fields = forWire('invoices', rowToWire(table, row));
  const out: [string, unknown][] = Object.entries(fields).filter(([column]) => column !== 'id');
  out.push([LINES_COLUMN, linesToWire(read.lines(id) as Record<string, unknown>[])]);
  return out;
}
