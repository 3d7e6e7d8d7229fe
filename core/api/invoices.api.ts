import { ActingOrganizationId } from '#common/common.schema';
import {
  CreateCreditNote,
  BlankInvoice,
  CreateInvoice,
  InvoiceByNumber,
  InvoiceEinvoice,
  InvoiceFilters,
  InvoicePdf,
  InvoiceRef,
  InvoiceView,
  IssueInvoice,
  ListInvoices,
  OrganizationRef,
  ProFormaForProducts,
  RenewalReminders,
  SeriesReportInput,
  UpdateDraft,
} from '#common/invoices.schema';
import { einvoiceFile } from '../services/einvoices.service';
import { invoiceSeriesReport } from '../services/invoices/series-report.service';
import { invoicePdf } from '../services/invoice-pdf.service';
import {
  convertProForma,
  createCreditNote,
  blankInvoice,
  createInvoice,
  deleteDraft,
  getInvoice,
  getInvoiceByNumber,
  invoiceCountsByStatus,
  invoiceTotalsByCurrency,
  checkIssue,
  issueInvoice,
  listInvoices,
  monthlyTotals,
  overdueInvoices,
  proFormaForProducts,
  renewalReminders,
  updateDraft,
} from '../services/invoices.service';
import { paymentsOf } from '../services/ledger.service';
import { mutation, query, stream } from './method';

export const invoicesApi = {
  'invoices.pdf': stream(InvoicePdf, 'One invoice as a PDF file (with its Swiss QR-bill)', async (ctx, i) => {
    const pdf = await invoicePdf(ctx, i);
    return {
      fileName: pdf.fileName,
      mime: 'application/pdf',
      write: async (out) => {
        out.end(pdf.bytes);
      },
    };
  }),
  'invoices.einvoice': stream(
    InvoiceEinvoice,
    'The e-invoice of an issued invoice or credit note as a file (Factur-X PDF, CII, UBL Peppol BIS 3.0 or XRechnung)',
    async (ctx, i) => {
      const file = await einvoiceFile(ctx, i);
      return {
        fileName: file.fileName,
        mime: file.mime,
        write: async (out) => {
          out.end(file.bytes);
        },
      };
    },
  ),
  'invoices.list': query(
    ListInvoices,
    'A keyset page of invoices, filtered (status, period, organization, text)',
    listInvoices,
  ),
  'invoices.totals': query(
    InvoiceFilters,
    'Totals of the filtered invoices per currency',
    invoiceTotalsByCurrency,
  ),
  'invoices.countsByStatus': query(
    InvoiceFilters,
    'Invoice counts and amounts per status and currency',
    invoiceCountsByStatus,
  ),
  'invoices.monthlyTotals': query(
    InvoiceFilters,
    'Issued invoices per month and currency: invoiced and paid',
    monthlyTotals,
  ),
  'invoices.series': query(
    SeriesReportInput,
    'Every invoice series: numbers issued, documented voids (issues that lost a race) and any gap',
    invoiceSeriesReport,
  ),
  'invoices.get': query(InvoiceView, 'One invoice with lines, VAT summary and amount due', (ctx, i) =>
    getInvoice(ctx, i.id, i.actingOrganizationId),
  ),
  'invoices.getByNumber': query(InvoiceByNumber, 'One invoice by its number', (ctx, i) =>
    getInvoiceByNumber(ctx, i.number, i.actingOrganizationId, i.issuerOrganizationId),
  ),
  'invoices.payments': query(InvoiceView, 'Payments received for an invoice', (ctx, i) =>
    paymentsOf(ctx, i.id, i.actingOrganizationId),
  ),
  // A mutation by kind, like checkIssue: the draft is made in a transaction rolled back.
  'invoices.blank': mutation(
    BlankInvoice,
    'What a new draft would be (currency, VAT rates, address, language), stored only at its first edit',
    blankInvoice,
  ),
  'invoices.create': mutation(CreateInvoice, 'Create a draft invoice or pro forma with lines', createInvoice),
  'invoices.updateDraft': mutation(UpdateDraft, 'Change a draft (an issued invoice is refused)', updateDraft),
  'invoices.deleteDraft': mutation(InvoiceRef, 'Delete a draft', (ctx, i) => deleteDraft(ctx, i.id)),
  // A mutation by kind though nothing stays written: the dry run issues inside a transaction
  // that is rolled back, and the router gives a query a context that cannot write.
  'invoices.checkIssue': mutation(
    IssueInvoice,
    'What issuing this draft would find: the problems its e-invoice or QR-bill would be refused for, and the QR-bill transliterations to show first (nothing is written)',
    (ctx, i) => checkIssue(ctx, i.id, i.issuedOn),
  ),
  'invoices.issue': mutation(
    IssueInvoice,
    'Issue a draft: number, address copy, payment reference; immutable after',
    (ctx, i) => issueInvoice(ctx, i.id, i.issuedOn),
  ),
  'invoices.proForma': mutation(
    ProFormaForProducts,
    'A pro forma for selected products (a renewal quote)',
    proFormaForProducts,
  ),
  'invoices.convertProForma': mutation(InvoiceRef, 'Turn a pro forma into a draft invoice', (ctx, i) =>
    convertProForma(ctx, i.id),
  ),
  'invoices.creditNote': mutation(
    CreateCreditNote,
    'Correct an issued invoice with a credit note',
    createCreditNote,
  ),
  'invoices.overdue': query(
    OrganizationRef.partial().extend({ actingOrganizationId: ActingOrganizationId }),
    'Payment reminders: overdue invoices, oldest due first',
    (ctx, i) => overdueInvoices(ctx, i.organizationId, i.actingOrganizationId),
  ),
  'invoices.renewalReminders': query(
    RenewalReminders,
    "Products renewing within each organization's reminder window",
    renewalReminders,
  ),
};
