// E-invoices of issued documents: the EN 16931 model built from what the store holds (the
// snapshots taken at issue), written as CII, UBL (Peppol BIS 3.0), XRechnung or a Factur-X PDF.
// A pro forma has no fiscal value and is never an e-invoice; a draft has no number yet.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { type Invoice, invoices, type Organization, organizations } from '#db/schema/index';
import { effectiveEinvoiceFormat } from '#common/einvoice-format';
import type { EinvoiceFormat } from '#common/enums';
import { fail } from '#common/errors';
import type { EinvoiceFileFormat, InvoiceEinvoice } from '#common/invoices.schema';
import { ciiXml } from '../export/einvoice/cii';
import {
  buildEinvoice,
  type EinvoiceSource,
  type EnInvoice,
  type SourceLine,
} from '../export/einvoice/model';
import type { InvoiceDocumentLine } from '../export/invoice-document';
import { type Readiness, readiness } from '../export/einvoice/readiness';
import { ublXml } from '../export/einvoice/ubl';
import type { Ctx } from './context';
import { documentFrom, invoiceDocument } from './invoice-pdf.service';
import { getInvoice, getInvoiceByNumber, linesOf } from './invoices.service';

export interface EinvoiceFile {
  fileName: string;
  mime: string;
  format: EinvoiceFileFormat;
  bytes: Buffer;
}

const FROM_SETTING: Record<EinvoiceFormat, EinvoiceFileFormat> = {
  factur_x: 'factur-x',
  cii: 'cii',
  ubl: 'ubl',
  xrechnung: 'xrechnung',
  // A customer who receives PDFs still gets the richest file when one is asked for.
  pdf: 'factur-x',
};

/** The model's input from a stored, issued invoice or credit note. */
export function einvoiceSourceOf(ctx: Ctx, invoice: Invoice): EinvoiceSource {
  const corrects = invoice.correctsInvoiceId
    ? ctx.db
        .select({ number: invoices.number, issuedOn: invoices.issuedOn })
        .from(invoices)
        .where(eq(invoices.id, invoice.correctsInvoiceId))
        .get()
    : undefined;
  return einvoiceSourceFrom(
    invoice,
    linesOf(ctx, invoice.id),
    corrects?.number ? { number: corrects.number, issuedOn: corrects.issuedOn } : null,
  );
}

/** The e-invoice source from data in hand (no reads; see einvoiceSourceOf). */
export function einvoiceSourceFrom(
  invoice: Invoice,
  lines: readonly SourceLine[],
  corrects: EinvoiceSource['corrects'],
): EinvoiceSource {
  if (
    invoice.kind === 'pro_forma' ||
    invoice.status === 'draft' ||
    !invoice.number ||
    !invoice.issuer ||
    !invoice.billTo
  )
    fail('einvoice_not_available', { number: invoice.number ?? '' });
  return {
    kind: invoice.kind,
    number: invoice.number,
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
    currency: invoice.currency,
    notes: invoice.notes,
    issuer: invoice.issuer,
    billTo: invoice.billTo,
    lines: [...lines],
    paidMinor: invoice.paidMinor,
    paymentReference: invoice.paymentReference,
    reverseCharge: invoice.reverseCharge,
    corrects,
  };
}

export function einvoiceModel(ctx: Ctx, invoice: Invoice): EnInvoice {
  return buildEinvoice(einvoiceSourceOf(ctx, invoice));
}

export function einvoiceFileName(number: string, format: EinvoiceFileFormat): string {
  const base = number.replace(/[^A-Za-z0-9._-]/g, '_');
  return format === 'factur-x'
    ? `${base}.pdf`
    : `${base}.${format === 'cii' ? 'cii' : format === 'ubl' ? 'ubl' : 'xrechnung'}.xml`;
}

/** What the customer receives when no format is asked for. */
export function formatFor(ctx: Ctx, invoice: Invoice): EinvoiceFileFormat {
  const payer = ctx.db.select().from(organizations).where(eq(organizations.id, invoice.organizationId)).get();
  return payer ? FROM_SETTING[effectiveEinvoiceFormat(payer)] : 'factur-x';
}

/** The e-invoice of one issued invoice or credit note, in the asked (or the customer's) format. */
export async function einvoiceFile(ctx: Ctx, input: z.infer<typeof InvoiceEinvoice>): Promise<EinvoiceFile> {
  const detail = input.id
    ? getInvoice(ctx, input.id, input.actingOrganizationId)
    : getInvoiceByNumber(ctx, input.number ?? '', input.actingOrganizationId, input.issuerOrganizationId);
  const invoice =
    ctx.db.select().from(invoices).where(eq(invoices.id, detail.id)).get() ?? fail('invoice_not_found');
  const format = input.format ?? formatFor(ctx, invoice);
  const model = einvoiceModel(ctx, invoice);
  const number = invoice.number as string;
  if (format === 'factur-x') {
    const xml = ciiXml(model);
    // The PDF renderer loads with the first PDF (exports.service.ts says why).
    const { invoicePdfBuffer } = await import('../export/pdf/invoice-pdf');
    const bytes = await invoicePdfBuffer(invoiceDocument(ctx, { id: invoice.id }), { facturX: { xml } });
    return { fileName: einvoiceFileName(number, format), mime: 'application/pdf', format, bytes };
  }
  const xml =
    format === 'cii' ? ciiXml(model) : ublXml(model, format === 'xrechnung' ? 'xrechnung' : 'peppol');
  return {
    fileName: einvoiceFileName(number, format),
    mime: 'application/xml',
    format,
    bytes: Buffer.from(xml, 'utf8'),
  };
}

/**
 * Would this just-issued document (inside the issuing transaction) produce an e-invoice or a
 * QR-bill that the rules refuse? Read from the row as issuing wrote it, so the check sees
 * exactly the snapshots, number and reference the documents will carry.
 */
export function issueReadiness(ctx: Ctx, id: string): Readiness {
  const invoice =
    ctx.db.select().from(invoices).where(eq(invoices.id, id)).get() ?? fail('invoice_not_found', { id });
  const payer = ctx.db.select().from(organizations).where(eq(organizations.id, invoice.organizationId)).get();
  if (!payer) fail('organization_not_found', { id: invoice.organizationId });
  const src = invoice.kind === 'pro_forma' ? null : einvoiceSourceOf(ctx, invoice);
  return readiness(src, invoiceDocument(ctx, { id }), effectiveEinvoiceFormat(payer), payer.kind);
}

/**
 * issueReadiness for a new invoice in hand, not yet written (the billing run checks a whole
 * batch before writing it): the same rules on the same document, without reading it back.
 */
export function readinessFrom(
  invoice: Invoice,
  lines: readonly (SourceLine & InvoiceDocumentLine)[],
  issuer: Organization,
  payer: Organization,
): Readiness {
  const src = invoice.kind === 'pro_forma' ? null : einvoiceSourceFrom(invoice, lines, null);
  return readiness(
    src,
    documentFrom(invoice, lines, issuer, payer, null),
    effectiveEinvoiceFormat(payer),
    payer.kind,
  );
}

/** The e-invoice XML a period pack puts beside a document's PDF, or null (pro forma, draft). */
export function packEinvoiceXml(ctx: Ctx, id: string): { suffix: string; text: string } | null {
  const invoice = ctx.db.select().from(invoices).where(eq(invoices.id, id)).get();
  if (!invoice || invoice.kind === 'pro_forma' || invoice.status === 'draft' || !invoice.number) return null;
  // Imported history without issue snapshots has no e-invoice to give.
  if (!invoice.issuer || !invoice.billTo) return null;
  const format = formatFor(ctx, invoice);
  const model = einvoiceModel(ctx, invoice);
  if (format === 'ubl' || format === 'xrechnung')
    return { suffix: `${format}.xml`, text: ublXml(model, format === 'xrechnung' ? 'xrechnung' : 'peppol') };
  return { suffix: 'cii.xml', text: ciiXml(model) };
}
