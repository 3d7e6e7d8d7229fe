// One invoice as a document: the issuer and customer as issued (their snapshots), its lines and
// totals, and its PDF with the Swiss QR-bill (pdfkit loads on first use).
import { eq } from 'drizzle-orm';
import { type Invoice, invoices, type Organization, organizations } from '#db/schema/index';
import { countryName } from '#common/countries';
import { fail } from '#common/errors';
import { invoiceTotals } from '#common/invoice-math';
import type { DocumentParty, InvoiceDocument, InvoiceDocumentLine } from '../export/invoice-document';
import type { Ctx } from './context';
import { getInvoice, getInvoiceByNumber, linesOf } from './invoices.service';
import { initialsOf } from '#common/organization-display';

function party(
  snapshot: NonNullable<ReturnType<typeof getInvoice>['billTo']>,
  locale: string,
): DocumentParty {
  const lines = [
    ...(snapshot.recipient && snapshot.recipient !== snapshot.name ? [snapshot.recipient] : []),
    snapshot.street,
    ...(snapshot.line2 ? [snapshot.line2] : []),
    `${snapshot.postalCode} ${snapshot.city}`.trim(),
    countryName(snapshot.country, locale),
  ].filter(Boolean);
  return {
    name: snapshot.name,
    lines,
    country: snapshot.country,
    postalCode: snapshot.postalCode,
    city: snapshot.city,
    street: snapshot.street,
    streetName: snapshot.streetName ?? null,
    buildingNumber: snapshot.buildingNumber ?? null,
    shortName: snapshot.shortName ?? null,
    vatNumber: snapshot.vatNumber,
    uid: snapshot.uid,
    email: snapshot.email,
  };
}

/**
 * What a PDF is rendered from. An issued document uses the snapshots taken when it was
 * issued (so later edits to addresses never reach it); a draft uses today's data and prints
 * as a draft.
 */
export function invoiceDocument(
  ctx: Ctx,
  idOrNumber: { id?: string; number?: string; issuerOrganizationId?: string },
): InvoiceDocument {
  const invoice = idOrNumber.id
    ? getInvoice(ctx, idOrNumber.id)
    : getInvoiceByNumber(ctx, idOrNumber.number ?? '', undefined, idOrNumber.issuerOrganizationId);
  const issuerOrg = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.issuerOrganizationId))
    .get();
  const payerOrg = ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, invoice.organizationId))
    .get();
  if (!issuerOrg || !payerOrg) fail('organization_not_found');
  const corrects = invoice.correctsInvoiceId
    ? ctx.db
        .select({ number: invoices.number })
        .from(invoices)
        .where(eq(invoices.id, invoice.correctsInvoiceId))
        .get()
    : undefined;
  return documentFrom(invoice, linesOf(ctx, invoice.id), issuerOrg, payerOrg, corrects?.number ?? null);
}

/**
 * The document from data in hand (no reads): what invoiceDocument prints, and what the billing
 * run checks its invoices' readiness on before writing them (billing/bulk-issue.ts).
 */
export function documentFrom(
  invoice: Invoice,
  lines: readonly InvoiceDocumentLine[],
  issuerOrg: Organization,
  payerOrg: Organization,
  correctsNumber: string | null,
): InvoiceDocument {
  const fallback = (org: Organization) => ({
    name: org.name,
    recipient: org.name,
    street: '',
    line2: null,
    postalCode: '',
    city: '',
    country: org.country,
    vatNumber: org.vatNumber,
    uid: org.uid,
    email: null,
    iban: org.iban,
  });
  const issuerSnap = invoice.issuer ?? fallback(issuerOrg);
  const billSnap = invoice.billTo ?? fallback(payerOrg);
  const totals = invoiceTotals(lines);
  const settled =
    invoice.kind !== 'invoice' || invoice.status === 'cancelled' || invoice.status === 'refunded';
  return {
    kind: invoice.kind,
    locale: invoice.locale,
    currency: invoice.currency,
    number: invoice.status === 'draft' ? null : invoice.number,
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
    issuer: {
      ...party(issuerSnap, invoice.locale),
      logo: issuerOrg.logo,
      initials: initialsOf(issuerOrg.name),
      color: issuerOrg.color,
      // An issued document prints the footer it was issued with; a draft, today's.
      footer: invoice.issuer ? (invoice.issuer.footer ?? null) : issuerOrg.invoiceFooter,
      // A draft is not a request for payment: no payment part until it has its number and
      // its reference.
      // A QR reference is paid to the QR-IBAN when the issuer keeps one beside its IBAN.
      iban:
        invoice.status === 'draft'
          ? null
          : invoice.referenceType === 'QRR'
            ? (('qrIban' in issuerSnap ? issuerSnap.qrIban : null) ?? issuerSnap.iban)
            : issuerSnap.iban,
    },
    billTo: party(billSnap, invoice.locale),
    lines: lines.map((l) => ({
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      discountBp: l.discountBp,
      vatRateBp: l.vatRateBp,
      netMinor: l.netMinor,
      vatMinor: l.vatMinor,
      grossMinor: l.grossMinor,
    })),
    vatSummary: totals.vatSummary,
    totals: {
      netMinor: invoice.netMinor,
      vatMinor: invoice.vatMinor,
      grossMinor: invoice.grossMinor,
      paidMinor: invoice.kind === 'invoice' ? invoice.paidMinor : 0,
      dueMinor: settled ? 0 : Math.max(0, invoice.grossMinor - invoice.paidMinor),
    },
    reverseCharge: invoice.reverseCharge,
    paymentReference: { type: invoice.referenceType ?? 'NON', value: invoice.paymentReference },
    correctsNumber,
    notes: invoice.notes,
  };
}

export function pdfFileName(doc: Pick<InvoiceDocument, 'number' | 'kind'>, id: string): string {
  return `${(doc.number ?? `draft-${id.slice(-8)}`).replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
}

/**
 * The PDF renderer comes in with the first PDF: its libraries (pdfkit, fontkit, swissqrbill)
 * take ~0.8 s to load, which no command or host that never renders one should pay at start.
 */
export async function renderPdf(doc: InvoiceDocument): Promise<Buffer> {
  const { invoicePdfBuffer } = await import('../export/pdf/invoice-pdf');
  return invoicePdfBuffer(doc);
}

export async function invoicePdf(
  ctx: Ctx,
  ref: { id?: string; number?: string; issuerOrganizationId?: string; actingOrganizationId?: string },
): Promise<{ fileName: string; bytes: Buffer }> {
  const invoice = ref.id
    ? getInvoice(ctx, ref.id, ref.actingOrganizationId)
    : getInvoiceByNumber(ctx, ref.number ?? '', ref.actingOrganizationId, ref.issuerOrganizationId);
  const doc = invoiceDocument(ctx, { id: invoice.id });
  return { fileName: pdfFileName(doc, invoice.id), bytes: await renderPdf(doc) };
}
