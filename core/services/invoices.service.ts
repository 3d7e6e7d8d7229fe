// Invoices, pro formas and credit notes: drafts, issuing with gapless numbers, corrections,
// and the lists and reports over them.
//
// The domain's public surface: the work lives in invoices/, one file per stage of a
// document's life (detail.ts is how every one of them reads an invoice back).
export { createCreditNote } from './invoices/credit-notes.service';
export {
  creditedOf,
  getInvoice,
  getInvoiceByNumber,
  type InvoiceDetail,
  isOverdue,
  linesOf,
  vatFor,
} from './invoices/detail';
export { blankInvoice, createInvoice, defaultLocale, deleteDraft, updateDraft } from './invoices/drafts.service';
export {
  checkIssue,
  issueInvoice,
  paymentReferenceFor,
  seriesCode,
  snapshotOf,
} from './invoices/issue.service';
export {
  assertActingFilters,
  filterSql,
  type InvoiceListRow,
  type InvoicePage,
  invoiceCountsByStatus,
  invoiceTotalsByCurrency,
  listInvoices,
  listInvoicesQuery,
  monthlyTotals,
  overdueInvoices,
  renewalReminders,
} from './invoices/lists.service';
export { convertProForma, proFormaForProducts } from './invoices/pro-formas.service';
