import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { z } from 'zod';
import {
  type BillingAddress,
  billingAddresses,
  type Invoice,
  type InvoiceKind,
  type InvoiceLine,
  invoiceLines,
  invoiceSeries,
  invoices,
  type Organization,
  organizations,
  type PartySnapshot,
  products,
} from '#db/schema/index';
import { addDays, todayIso } from '#common/dates';
import { fail } from '#common/errors';
import { invoiceTotals, lineAmounts } from '#common/invoice-math';
import type {
  CreateCreditNote,
  CreateInvoice,
  InvoiceFilters,
  InvoiceLineInput,
  ListInvoices,
  ProFormaForProducts,
  UpdateDraft,
} from '#common/invoices.schema';
import { minorToDecimal } from '#common/money';
import { compactIban, isQrIban, isValidIban, qrrReference, scorReference } from '#common/payment-reference';
import { decideVat, type VatDecision } from '#common/vat-rates';
import { linesOf } from '#db/sync/apply';
import { rowToWire } from '#db/sync/outbox';
import { forWire, LINES_COLUMN, SYNC_TABLES } from '#db/sync/tables';
import { atomically, type Ctx, type WriteTx } from './context';
import { refundToPrepaid } from './ledger/entries';
import { getOrganization } from './organizations.service';
import { containsText, decodeCursor, encodeCursor } from './query-helpers';
import { getSettings } from './settings.service';
import { actingOrganization, assertVisible, invoiceVisibleSql, productVisibleSql } from './visibility';

export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[];
  /** Sum of the credit notes issued against this invoice. */
  creditedMinor: number;
  vatSummary: { vatRateBp: number; netMinor: number; vatMinor: number }[];
  dueMinor: number;
  overdue: boolean;
  organizationName: string;
  allowedVatRatesBp: number[];
}

export interface InvoiceListRow {
  id: string;
  kind: InvoiceKind;
  status: Invoice['status'];
  number: string | null;
  issuedOn: string;
  dueOn: string | null;
  organizationId: string;
  organizationName: string;
  /** Whose products it bills (the client, also when the partner pays). */
  productsOrganizationId: string;
  currency: Invoice['currency'];
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  paidMinor: number;
  overdue: boolean;
}

export interface InvoicePage {
  rows: InvoiceListRow[];
  nextCursor: string | null;
}

const SERIES_PREFIX: Record<InvoiceKind, string> = { invoice: 'INV', pro_forma: 'PRO', credit_note: 'CN' };
const OPEN_STATUSES = ['unpaid', 'partially_paid'] as const;

/** One invoice; as `actingOrganizationId`, not_visible unless that organization pays it. */
export function getInvoice(ctx: Ctx, id: string, actingOrganizationId?: string): InvoiceDetail {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  const invoice =
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, id), isNull(invoices.deletedAt)))
      .get() ?? fail('invoice_not_found', { id });
  assertVisible(ctx, actingOrganizationId, 'invoice', invoice.id);
  return detail(ctx, invoice);
}

export function getInvoiceByNumber(ctx: Ctx, number: string, actingOrganizationId?: string): InvoiceDetail {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  const invoice =
    ctx.db.select().from(invoices).where(eq(invoices.number, number.trim())).get() ??
    fail('invoice_not_found', { number });
  assertVisible(ctx, actingOrganizationId, 'invoice', invoice.id);
  return detail(ctx, invoice);
}

function detail(ctx: Ctx, invoice: Invoice): InvoiceDetail {
  const lines = ctx.db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoice.id))
    .orderBy(asc(invoiceLines.position))
    .all();
  const payer = getOrganization(ctx, invoice.organizationId);
  const issuer = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.issuerOrganizationId))
    .get();
  const decision = issuer ? vatFor(issuer, payer) : null;
  const creditedMinor = creditedOf(ctx, invoice.id);
  return {
    ...invoice,
    lines,
    creditedMinor,
    vatSummary: invoiceTotals(lines).vatSummary,
    // Nothing is due on an invoice a credit note cancelled or refunded; a partial credit
    // note lowers what is due.
    dueMinor:
      invoice.status === 'cancelled' || invoice.status === 'refunded' || invoice.kind !== 'invoice'
        ? 0
        : Math.max(0, invoice.grossMinor - invoice.paidMinor - creditedMinor),
    overdue: isOverdue(invoice, todayIso(ctx.clock.now())),
    organizationName: payer.name,
    allowedVatRatesBp: decision?.allowedRatesBp ?? [],
  };
}

export function creditedOf(ctx: Ctx, invoiceId: string): number {
  return (
    ctx.db
      .select({ total: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)` })
      .from(invoices)
      .where(
        and(
          eq(invoices.correctsInvoiceId, invoiceId),
          eq(invoices.kind, 'credit_note'),
          sql`${invoices.status} <> 'draft'`,
        ),
      )
      .get()?.total ?? 0
  );
}

export function isOverdue(invoice: Pick<Invoice, 'status' | 'dueOn' | 'kind'>, today: string): boolean {
  return (
    invoice.kind === 'invoice' &&
    (OPEN_STATUSES as readonly string[]).includes(invoice.status) &&
    invoice.dueOn !== null &&
    invoice.dueOn < today
  );
}

export function vatFor(issuer: Organization, payer: Organization): VatDecision {
  return decideVat(issuer.country, { country: payer.country, kind: payer.kind, vatNumber: payer.vatNumber });
}

function resolveIssuer(ctx: Ctx, issuerOrganizationId: string | undefined): Organization {
  const id = issuerOrganizationId ?? getSettings(ctx).providerOrganizationId;
  if (!id) fail('issuer_missing');
  return getOrganization(ctx, id);
}

function priceLines(lines: readonly InvoiceLineInput[], decision: VatDecision) {
  return lines.map((line, position) => {
    const vatRateBp = line.vatRateBp ?? decision.defaultRateBp;
    return {
      position,
      productId: line.productId ?? null,
      description: line.description,
      quantityMilli: line.quantityMilli,
      unitPriceMinor: line.unitPriceMinor,
      discountBp: line.discountBp,
      vatRateBp,
      ...lineAmounts({ ...line, vatRateBp }),
    };
  });
}

/** Replaces a draft's lines and totals. A draft's lines travel in sync as one LWW value. */
function writeLines(
  tx: WriteTx,
  ctx: Ctx,
  invoice: Invoice,
  lines: readonly InvoiceLineInput[],
  decision: VatDecision,
) {
  const priced = priceLines(lines, decision);
  for (const line of priced) {
    if (line.productId) {
      const product = tx.db
        .select({ organizationId: products.organizationId })
        .from(products)
        .where(eq(products.id, line.productId))
        .get();
      if (!product) fail('product_not_found', { id: line.productId });
      if (product.organizationId !== invoice.productsOrganizationId) fail('product_wrong_organization');
    }
  }
  tx.db.delete(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).run();
  if (priced.length > 0) {
    tx.db
      .insert(invoiceLines)
      .values(priced.map((line) => ({ ...line, id: ctx.ids.next(), invoiceId: invoice.id })))
      .run();
  }
  // A draft's lines travel as one last-writer-wins value, with its own activity row.
  const hlc = tx.logChange('invoices', invoice.id, 'lines', priced);
  tx.recordActivity({
    entity: 'invoices',
    entityId: invoice.id,
    organizationId: invoice.organizationId,
    after: { lines: priced.length },
    hlc,
  });
  const totals = invoiceTotals(priced);
  return tx.update(invoices, invoice.id, {
    netMinor: totals.netMinor,
    vatMinor: totals.vatMinor,
    grossMinor: totals.grossMinor,
  });
}

function defaultAddress(tx: WriteTx, organizationId: string): BillingAddress | undefined {
  return tx.db
    .select()
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, organizationId),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .get();
}

export function createInvoice(ctx: Ctx, input: z.infer<typeof CreateInvoice>): InvoiceDetail {
  const created = ctx.write('invoice.created', (tx) => {
    const payer = getOrganization(ctx, input.organizationId);
    const productsOrg = getOrganization(ctx, input.productsOrganizationId ?? payer.id);
    const issuer = resolveIssuer(ctx, input.issuerOrganizationId);
    if (input.billingAddressId) assertAddressOf(tx, payer.id, input.billingAddressId);
    const invoice = tx.insert(invoices, {
      kind: input.kind,
      status: 'draft',
      organizationId: payer.id,
      productsOrganizationId: productsOrg.id,
      issuerOrganizationId: issuer.id,
      billingAddressId: input.billingAddressId ?? null,
      currency: payer.currency,
      locale: input.locale ?? defaultLocale(payer.country),
      issuedOn: input.issuedOn ?? todayIso(ctx.clock.now()),
      notes: input.notes ?? null,
    });
    return writeLines(tx, ctx, invoice, input.lines, vatFor(issuer, payer));
  });
  return getInvoice(ctx, created.id);
}

function assertAddressOf(tx: WriteTx, organizationId: string, addressId: string): void {
  const address = tx.db.select().from(billingAddresses).where(eq(billingAddresses.id, addressId)).get();
  if (!address || address.deletedAt) fail('address_not_found', { id: addressId });
  if (address.organizationId !== organizationId) fail('address_wrong_organization');
}

export function defaultLocale(country: string): 'en' | 'fr' | 'de' {
  if (['FR', 'BE', 'LU', 'MC'].includes(country)) return 'fr';
  if (['DE', 'AT', 'LI'].includes(country)) return 'de';
  return country === 'CH' ? 'fr' : 'en';
}

function draftOf(ctx: Ctx, id: string): Invoice {
  const invoice =
    ctx.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, id), isNull(invoices.deletedAt)))
      .get() ?? fail('invoice_not_found', { id });
  if (invoice.status !== 'draft') fail('invoice_not_draft', { number: invoice.number ?? '' });
  return invoice;
}

export function updateDraft(ctx: Ctx, input: z.infer<typeof UpdateDraft>): InvoiceDetail {
  ctx.write('invoice.updated', (tx) => {
    const invoice = draftOf(ctx, input.id);
    if (input.billingAddressId) assertAddressOf(tx, invoice.organizationId, input.billingAddressId);
    const updated = tx.update(invoices, invoice.id, {
      billingAddressId: input.billingAddressId,
      locale: input.locale,
      issuedOn: input.issuedOn,
      notes: input.notes,
    });
    if (input.lines) {
      const payer = getOrganization(ctx, invoice.organizationId);
      const issuer = getOrganization(ctx, invoice.issuerOrganizationId);
      writeLines(tx, ctx, updated, input.lines, vatFor(issuer, payer));
    }
  });
  return getInvoice(ctx, input.id);
}

export function deleteDraft(ctx: Ctx, id: string): { id: string } {
  ctx.write('invoice.deleted', (tx) => {
    draftOf(ctx, id);
    tx.remove(invoices, id);
  });
  return { id };
}

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
  };
}

/** The series the hub assigned at enrollment, for the identity it was assigned to. */
function assignedSeriesCode(ctx: Ctx): string | null {
  const row = ctx.raw
    .prepare('SELECT series_code FROM sync_state WHERE id = 1 AND enrolled_device_id = ?')
    .pluck()
    .get(ctx.deviceId) as string | null | undefined;
  return row ?? null;
}

export function seriesCode(deviceId: string): string {
  return deviceId.slice(0, 6).toUpperCase();
}

/** How the n-th document of a series is numbered. */
export function numbering(kind: InvoiceKind, year: number, code: string, sequence: number) {
  return {
    series: `${SERIES_PREFIX[kind]}-${year}-${code}`,
    sequence,
    // Letters first: a spreadsheet never mistakes the number for a number.
    number: `${SERIES_PREFIX[kind]}-${year}-${code}-${String(sequence).padStart(6, '0')}`,
    codeDigits: String(Number.parseInt(code, 16)).padStart(8, '0'),
    year,
  };
}

/** A series per issuer, kind, year and device: two offline devices never draw the same number. */
function nextNumber(tx: WriteTx, ctx: Ctx, issuerId: string, kind: InvoiceKind, issuedOn: string) {
  const year = Number(issuedOn.slice(0, 4));
  const code = assignedSeriesCode(ctx) ?? seriesCode(ctx.deviceId);
  const id = `${issuerId}:${kind}:${year}:${code}`;
  let series = tx.db.select().from(invoiceSeries).where(eq(invoiceSeries.id, id)).get();
  if (!series) {
    series = tx.db
      .insert(invoiceSeries)
      .values({
        id,
        issuerOrganizationId: issuerId,
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
  return numbering(kind, year, code, sequence);
}

export function paymentReferenceFor(
  issuer: Pick<PartySnapshot, 'iban'>,
  kind: InvoiceKind,
  numbering: ReturnType<typeof nextNumber>,
): { referenceType: 'QRR' | 'SCOR' | 'NON'; paymentReference: string | null } {
  if (kind === 'credit_note') return { referenceType: 'NON', paymentReference: null };
  if (issuer.iban && isQrIban(issuer.iban)) {
    const kindDigit = kind === 'invoice' ? '1' : '2';
    return {
      referenceType: 'QRR',
      paymentReference: qrrReference(
        `${numbering.year}${kindDigit}${numbering.codeDigits}${String(numbering.sequence).padStart(9, '0')}`,
      ),
    };
  }
  return { referenceType: 'SCOR', paymentReference: scorReference(numbering.number) };
}

export function issueInvoice(ctx: Ctx, id: string, issuedOn?: string): InvoiceDetail {
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
        : defaultAddress(tx, payer.id);
      if (!address) fail('billing_address_missing', { name: payer.name });
      const issuerAddress = defaultAddress(tx, issuer.id);
      const day = issuedOn ?? todayIso(ctx.clock.now());
      const numbering = nextNumber(tx, ctx, issuer.id, invoice.kind, day);
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
 * (db/sync/apply.ts, server/sync/issue-race.ts).
 */
function logIssueCommand(tx: WriteTx, ctx: Ctx, id: string): void {
  const hlc = ctx.raw
    .prepare(
      "SELECT hlc FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND column_name = 'status' ORDER BY seq DESC LIMIT 1",
    )
    .pluck()
    .get(id) as string;
  const table = SYNC_TABLES.get('invoices');
  const row = ctx.raw.prepare('SELECT * FROM invoices WHERE id = ?').get(id) as Record<string, unknown>;
  if (!table) return;
  ctx.raw
    .prepare("DELETE FROM change_log WHERE table_name = 'invoices' AND row_id = ? AND hlc = ?")
    .run(id, hlc);
  const fields = forWire('invoices', rowToWire(table, row));
  for (const [column, value] of Object.entries(fields)) {
    if (column === 'id') continue;
    tx.logChange('invoices', id, column, value, hlc);
  }
  tx.logChange('invoices', id, LINES_COLUMN, linesOf(ctx.raw, id), hlc);
}

/** A pro forma for selected products: a renewal quote, one period of each at the public price. */
export function proFormaForProducts(ctx: Ctx, input: z.infer<typeof ProFormaForProducts>): InvoiceDetail {
  // Created and issued together, or not at all: a refused issue leaves no stray draft.
  return atomically(ctx, () => proFormaInTx(ctx, input));
}

function proFormaInTx(ctx: Ctx, input: z.infer<typeof ProFormaForProducts>): InvoiceDetail {
  const chosen = ctx.db
    .select()
    .from(products)
    .where(and(inArray(products.id, input.productIds), isNull(products.deletedAt)))
    .all();
  const missing = input.productIds.find((id) => !chosen.some((p) => p.id === id));
  if (missing) fail('product_not_found', { id: missing });
  if (chosen.some((p) => p.organizationId !== input.organizationId)) fail('product_wrong_organization');
  const draft = createInvoice(ctx, {
    kind: 'pro_forma',
    organizationId: input.organizationId,
    issuerOrganizationId: input.issuerOrganizationId,
    locale: input.locale,
    lines: chosen.map((p) => ({
      productId: p.id,
      description: `${p.name} (${p.billingFrequency}, ${p.nextRenewalOn})`,
      quantityMilli: 1000,
      unitPriceMinor: p.publicPriceMinor,
      discountBp: 0,
    })),
  });
  return input.issue ? issueInvoice(ctx, draft.id) : draft;
}

/** Turns an issued pro forma into a draft invoice with the same lines; the pro forma closes. */
export function convertProForma(ctx: Ctx, id: string): InvoiceDetail {
  return atomically(ctx, () => convertProFormaInTx(ctx, id));
}

function convertProFormaInTx(ctx: Ctx, id: string): InvoiceDetail {
  const proForma = getInvoice(ctx, id);
  if (proForma.kind !== 'pro_forma') fail('pro_forma_only');
  // Once converted (or withdrawn) a pro forma is closed: converting it again would bill twice.
  if (proForma.status !== 'unpaid' && proForma.status !== 'draft') {
    fail('pro_forma_closed', { number: proForma.number ?? '' });
  }
  const draft = createInvoice(ctx, {
    kind: 'invoice',
    organizationId: proForma.organizationId,
    productsOrganizationId: proForma.productsOrganizationId,
    issuerOrganizationId: proForma.issuerOrganizationId,
    billingAddressId: proForma.billingAddressId,
    locale: proForma.locale,
    notes: proForma.notes,
    lines: proForma.lines.map((l) => ({
      productId: l.productId,
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      discountBp: l.discountBp,
      vatRateBp: l.vatRateBp,
    })),
  });
  ctx.write('invoice.converted', (tx) => {
    tx.update(invoices, draft.id, { convertedFromId: proForma.id });
    if (proForma.status === 'unpaid') tx.update(invoices, proForma.id, { status: 'cancelled' });
    else tx.remove(invoices, proForma.id);
  });
  return getInvoice(ctx, draft.id);
}

/**
 * The only way to correct an issued invoice. A full credit note cancels an unpaid invoice,
 * or refunds a paid one (what was paid goes back to the prepaid account).
 */
export function createCreditNote(ctx: Ctx, input: z.infer<typeof CreateCreditNote>): InvoiceDetail {
  return atomically(ctx, () => createCreditNoteInTx(ctx, input), true);
}

function createCreditNoteInTx(ctx: Ctx, input: z.infer<typeof CreateCreditNote>): InvoiceDetail {
  const original = getInvoice(ctx, input.invoiceId);
  if (original.kind === 'credit_note') fail('credit_note_of_credit_note');
  // A pro forma has no fiscal value: there is nothing to correct, it is simply not converted.
  if (original.kind === 'pro_forma') fail('credit_note_of_pro_forma');
  if (original.status === 'draft') fail('invoice_not_payable', { number: '', status: 'draft' });
  if (original.status === 'cancelled' || original.status === 'refunded') {
    fail('invoice_not_payable', { number: original.number ?? '', status: original.status });
  }
  const lines: InvoiceLineInput[] =
    input.lines ??
    original.lines.map((l) => ({
      productId: l.productId,
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      discountBp: l.discountBp,
      vatRateBp: l.vatRateBp,
    }));
  // A line given without a rate gets the rate the VAT rule gives these parties, as on an
  // invoice (InvoiceLineInput.vatRateBp), not 0 %: the issue below checks it against that rule.
  const decision = vatFor(
    getOrganization(ctx, original.issuerOrganizationId),
    getOrganization(ctx, original.organizationId),
  );
  const credited = invoiceTotals(priceLines(lines, decision));
  const remaining = original.grossMinor - original.creditedMinor;
  if (credited.grossMinor > remaining) {
    fail('credit_note_exceeds_invoice', {
      number: original.number ?? '',
      remaining: `${minorToDecimal(remaining, original.currency)} ${original.currency}`,
    });
  }
  const draft = ctx.write('credit_note.created', (tx) => {
    const note = tx.insert(invoices, {
      kind: 'credit_note',
      status: 'draft',
      organizationId: original.organizationId,
      productsOrganizationId: original.productsOrganizationId,
      issuerOrganizationId: original.issuerOrganizationId,
      billingAddressId: original.billingAddressId,
      currency: original.currency,
      locale: original.locale,
      issuedOn: todayIso(ctx.clock.now()),
      correctsInvoiceId: original.id,
      notes: input.notes ?? null,
    });
    return writeLines(tx, ctx, note, lines, decision);
  });
  issueInvoice(ctx, draft.id);
  ctx.write(
    'credit_note.applied',
    (tx) => {
      // Credit notes are born settled: nothing is due on them.
      tx.update(invoices, draft.id, { status: 'paid', paidMinor: credited.grossMinor });
      const creditedTotal = original.creditedMinor + credited.grossMinor;
      // What was paid beyond what the invoice now asks goes back to the prepaid account
      // (less what earlier credit notes already refunded).
      const owedBefore = Math.max(0, original.paidMinor - (original.grossMinor - original.creditedMinor));
      const owedNow = Math.max(0, original.paidMinor - (original.grossMinor - creditedTotal));
      if (owedNow > owedBefore) refundToPrepaid(tx, ctx, original, owedNow - owedBefore);
      if (creditedTotal >= original.grossMinor) {
        tx.update(invoices, original.id, { status: original.paidMinor > 0 ? 'refunded' : 'cancelled' });
      } else if (original.paidMinor + creditedTotal >= original.grossMinor && original.status !== 'paid') {
        tx.update(invoices, original.id, { status: 'paid' });
      }
    },
    { durable: true },
  );
  return getInvoice(ctx, draft.id);
}

/**
 * The conditions of a filtered invoice set. With `actingOrganizationId`, only the invoices it
 * pays (visibility.ts): a filter naming another organization then simply finds nothing.
 * Callers check that the acting organization exists (assertActingFilters).
 */
export function filterSql(input: InvoiceFilters, today: string): SQL[] {
  const where: SQL[] = [isNull(invoices.deletedAt)];
  if (input.actingOrganizationId) where.push(invoiceVisibleSql(input.actingOrganizationId));
  if (input.organizationId) where.push(eq(invoices.organizationId, input.organizationId));
  if (input.productsOrganizationId)
    where.push(eq(invoices.productsOrganizationId, input.productsOrganizationId));
  if (input.organizationIds?.length) where.push(inArray(invoices.organizationId, input.organizationIds));
  if (input.statuses.length) where.push(inArray(invoices.status, input.statuses));
  if (input.kinds.length) where.push(inArray(invoices.kind, input.kinds));
  if (input.currency) where.push(eq(invoices.currency, input.currency));
  if (input.from) where.push(sql`${invoices.issuedOn} >= ${input.from}`);
  if (input.to) where.push(sql`${invoices.issuedOn} <= ${input.to}`);
  if (input.overdue === true) {
    where.push(
      sql`${invoices.kind} = 'invoice' and ${invoices.status} in ('unpaid', 'partially_paid') and ${invoices.dueOn} < ${today}`,
    );
  }
  const search = input.search?.trim();
  if (search) where.push(containsText(invoices.number, search));
  return where;
}

/** An acting organization that does not exist is an error, not an empty book. */
export function assertActingFilters(ctx: Ctx, input: Pick<InvoiceFilters, 'actingOrganizationId'>): void {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
}

/**
 * A page of invoices, newest first by default. Keyset on (issued_on, id) with a row-value
 * comparison: the same cost at page 1 and page 10,000 (OFFSET grows with depth, and the
 * OR-form keyset drizzle would build defeats the index).
 */
export function listInvoices(ctx: Ctx, input: z.infer<typeof ListInvoices>): InvoicePage {
  assertActingFilters(ctx, input);
  const today = todayIso(ctx.clock.now());
  const rows = listInvoicesQuery(ctx, input, today).all();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({ ...r, overdue: isOverdue(r, today) })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.issuedOn, last.id]) : null,
  };
}

/** The page query itself (one row more than the limit), apart so its plan can be checked. */
export function listInvoicesQuery(ctx: Ctx, input: z.infer<typeof ListInvoices>, today: string) {
  const where = filterSql(input, today);
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor?.length !== 2) fail('invalid_input', { field: 'cursor' });
    where.push(
      input.direction === 'desc'
        ? sql`(${invoices.issuedOn}, ${invoices.id}) < (${cursor[0]}, ${cursor[1]})`
        : sql`(${invoices.issuedOn}, ${invoices.id}) > (${cursor[0]}, ${cursor[1]})`,
    );
  }
  const order =
    input.direction === 'desc'
      ? [desc(invoices.issuedOn), desc(invoices.id)]
      : [asc(invoices.issuedOn), asc(invoices.id)];
  return ctx.db
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      number: invoices.number,
      issuedOn: invoices.issuedOn,
      dueOn: invoices.dueOn,
      organizationId: invoices.organizationId,
      organizationName: organizations.name,
      productsOrganizationId: invoices.productsOrganizationId,
      currency: invoices.currency,
      netMinor: invoices.netMinor,
      vatMinor: invoices.vatMinor,
      grossMinor: invoices.grossMinor,
      paidMinor: invoices.paidMinor,
    })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.organizationId))
    .where(and(...where))
    .orderBy(...order)
    .limit(input.limit + 1);
}

/** Totals of the filtered set per currency (never summed across currencies). */
export function invoiceTotalsByCurrency(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  // A pro forma has no fiscal value: it counts only when asked for by kind.
  if (!input.kinds.includes('pro_forma')) where.push(sql`${invoices.kind} <> 'pro_forma'`);
  // Credit notes reduce the totals they correct.
  const signed = (column: SQLiteColumn) =>
    sql<number>`coalesce(sum(case when ${invoices.kind} = 'credit_note' then -${column} else ${column} end), 0)`;
  return ctx.db
    .select({
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      netMinor: signed(invoices.netMinor),
      vatMinor: signed(invoices.vatMinor),
      grossMinor: signed(invoices.grossMinor),
      paidMinor: sql<number>`coalesce(sum(case when ${invoices.kind} = 'credit_note' then 0 else ${invoices.paidMinor} end), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency)
    .all();
}

/** Payment reminders: the overdue invoices of one organization (or all), oldest due first. */
export function overdueInvoices(
  ctx: Ctx,
  organizationId?: string,
  actingOrganizationId?: string,
): InvoiceListRow[] {
  return listInvoices(ctx, {
    organizationId,
    actingOrganizationId,
    overdue: true,
    organizationIds: [],
    statuses: [],
    kinds: ['invoice'],
    direction: 'asc',
    limit: 1000,
  }).rows.sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''));
}

/** Renewal reminders: products renewing within each organization's chosen reminder window. */
export function renewalReminders(
  ctx: Ctx,
  input: { organizationId?: string; today?: string; actingOrganizationId?: string },
) {
  if (input.actingOrganizationId) actingOrganization(ctx, input.actingOrganizationId);
  const today = input.today ?? todayIso(ctx.clock.now());
  const rows = ctx.db
    .select({
      productId: products.id,
      productName: products.name,
      nextRenewalOn: products.nextRenewalOn,
      autoRenew: products.autoRenew,
      publicPriceMinor: products.publicPriceMinor,
      currency: products.currency,
      organizationId: organizations.id,
      organizationName: organizations.name,
      reminderDays: organizations.renewalReminderDays,
    })
    .from(products)
    .innerJoin(organizations, eq(organizations.id, products.organizationId))
    .where(
      and(
        isNull(products.deletedAt),
        eq(products.status, 'active'),
        sql`${organizations.renewalReminderDays} is not null`,
        sql`${products.nextRenewalOn} >= ${today}`,
        sql`${products.nextRenewalOn} <= date(${today}, '+' || ${organizations.renewalReminderDays} || ' days')`,
        input.organizationId ? eq(organizations.id, input.organizationId) : undefined,
        input.actingOrganizationId ? productVisibleSql(input.actingOrganizationId) : undefined,
      ),
    )
    .orderBy(asc(products.nextRenewalOn))
    .all();
  return rows;
}

/** Invoice counts and amounts per status and currency (served from a covering index). */
export function invoiceCountsByStatus(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  return ctx.db
    .select({
      status: invoices.status,
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      grossMinor: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(invoices.status, invoices.currency)
    .orderBy(invoices.status, invoices.currency)
    .all();
}

/** Issued invoices per month and currency: invoiced, paid and still open. */
export function monthlyTotals(ctx: Ctx, input: InvoiceFilters) {
  assertActingFilters(ctx, input);
  const where = filterSql(input, todayIso(ctx.clock.now()));
  where.push(sql`${invoices.status} <> 'draft'`, sql`${invoices.kind} = 'invoice'`);
  const month = sql<string>`substr(${invoices.issuedOn}, 1, 7)`;
  return ctx.db
    .select({
      month,
      currency: invoices.currency,
      count: sql<number>`count(*)`,
      grossMinor: sql<number>`coalesce(sum(${invoices.grossMinor}), 0)`,
      paidMinor: sql<number>`coalesce(sum(${invoices.paidMinor}), 0)`,
    })
    .from(invoices)
    .where(and(...where))
    .groupBy(month, invoices.currency)
    .orderBy(month, invoices.currency)
    .all();
}
