// The message "Send" proposes for one invoice or credit note: its recipient (the billing
// e-mail the document was issued to, else the organization's default billing address), the
// template of its kind in the document's language with the placeholders filled, and its files
// (the PDF; the e-invoice when the customer takes one).
import { and, eq, isNull } from 'drizzle-orm';
import { billingAddresses, type Invoice, invoices } from '#db/schema/index';
import type { MailDocumentKind } from '#common/enums';
import { fail, KontorError } from '#common/errors';
import { fillTemplate, type MailPlaceholder } from '#common/i18n/mail';
import type { InvoiceDocument } from '../../export/invoice-document';
import { documentFormatter } from '../../export/pdf/format';
import type { Ctx } from '../context';
import { einvoiceFile, formatFor } from '../einvoices.service';
import { invoiceDocument, pdfFileName, renderPdf } from '../invoice-pdf.service';
import { getInvoice, getInvoiceByNumber } from '../invoices.service';
import { mailTemplate } from './settings';

export interface MailAttachment {
  fileName: string;
  mime: string;
  content: Buffer;
}

/** What a message is about and what it says: the outbox queues it (./outbox.ts). */
export interface MailDraft {
  kind: MailDocumentKind;
  documentId: string | null;
  /** The document's number, as the outbox and the activity name it. */
  documentLabel: string;
  organizationId: string | null;
  locale: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  attachments: MailAttachment[];
}

export interface DocumentRef {
  id?: string;
  number?: string;
  issuerOrganizationId?: string;
}

function storedInvoice(ctx: Ctx, ref: DocumentRef): Invoice {
  const detail = ref.id
    ? getInvoice(ctx, ref.id)
    : getInvoiceByNumber(ctx, ref.number ?? '', undefined, ref.issuerOrganizationId);
  return ctx.db.select().from(invoices).where(eq(invoices.id, detail.id)).get() ?? fail('invoice_not_found');
}

/** The address a document goes to unless the person types another: the billing e-mail it was issued to, else the payer's default. */
export function defaultRecipient(
  ctx: Ctx,
  organizationId: string,
  billToEmail: string | null | undefined,
): string | null {
  if (billToEmail) return billToEmail;
  const address = ctx.db
    .select({ email: billingAddresses.email })
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, organizationId),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .get();
  return address?.email ?? null;
}

/** The values a template's placeholders take for this document, formatted as its PDF formats them. */
export function placeholderValues(doc: InvoiceDocument): Record<MailPlaceholder, string> {
  const f = documentFormatter(doc.locale, doc.currency);
  return {
    number: doc.number ?? '',
    customer: doc.billTo.name,
    amount: f.money(Math.abs(doc.totals.grossMinor)),
    dueDate: doc.dueOn ? f.date(doc.dueOn) : '',
    issuedDate: doc.issuedOn ? f.date(doc.issuedOn) : '',
    firm: doc.issuer.name,
  };
}

/**
 * The attachments: the PDF, and the e-invoice in the customer's format — Factur-X takes the
 * PDF's place (it is that PDF with the XML inside), CII/UBL/XRechnung go beside it. A document
 * the e-invoice rules refuse still goes out with its PDF: the e-invoice is "when it has one".
 */
async function attachmentsOf(
  ctx: Ctx,
  invoice: Invoice,
  doc: InvoiceDocument,
  einvoice: boolean,
): Promise<MailAttachment[]> {
  const pdf = async (): Promise<MailAttachment> => ({
    fileName: pdfFileName(doc, invoice.id),
    mime: 'application/pdf',
    content: await renderPdf(doc),
  });
  const hasEinvoice = einvoice && invoice.kind !== 'pro_forma' && !!invoice.issuer && !!invoice.billTo;
  if (!hasEinvoice) return [await pdf()];
  try {
    const file = await einvoiceFile(ctx, { id: invoice.id, format: formatFor(ctx, invoice) });
    const attached = { fileName: file.fileName, mime: file.mime, content: file.bytes };
    return file.format === 'factur-x' ? [attached] : [await pdf(), attached];
  } catch (error) {
    if (error instanceof KontorError && error.code.startsWith('einvoice_')) return [await pdf()];
    throw error;
  }
}

/** The message for one issued invoice, credit note or pro forma, as the template makes it. */
export async function composeDocumentMail(ctx: Ctx, ref: DocumentRef, einvoice = true): Promise<MailDraft> {
  const invoice = storedInvoice(ctx, ref);
  // A draft is not a document yet: it has no number and may still change.
  if (invoice.status === 'draft' || !invoice.number) fail('mail_draft');
  const doc = invoiceDocument(ctx, { id: invoice.id });
  const kind: MailDocumentKind = invoice.kind === 'credit_note' ? 'credit_note' : 'invoice';
  const template = mailTemplate(ctx, kind, doc.locale);
  const values = placeholderValues(doc);
  const to = defaultRecipient(ctx, invoice.organizationId, doc.billTo.email);
  return {
    kind,
    documentId: invoice.id,
    documentLabel: invoice.number,
    organizationId: invoice.organizationId,
    locale: doc.locale,
    to: to ? [to] : [],
    cc: [],
    subject: fillTemplate(template.subject, values),
    body: fillTemplate(template.body, values),
    attachments: await attachmentsOf(ctx, invoice, doc, einvoice),
  };
}
