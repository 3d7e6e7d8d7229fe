import { z } from 'zod';
import {
  DOCUMENT_LOCALES,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  PAYMENT_METHODS,
  UNIT_CODES,
  VAT_CATEGORIES,
} from './enums';
import { ActingOrganizationId, CurrencyCode, Id, IsoDate } from './common.schema';

const Amount = z.number().int().min(-100_000_000_00).max(100_000_000_00);
const PositiveAmount = z.number().int().min(1).max(100_000_000_00);

export const InvoiceLineInput = z
  .object({
    productId: Id.nullish(),
    description: z.string().trim().min(1).max(500),
    quantityMilli: z.number().int().min(1).max(1_000_000_000),
    unitPriceMinor: Amount,
    discountBp: z.number().int().min(0).max(10_000).default(0),
    /** Omitted: the rate the VAT rule gives this invoice (decideVat). */
    vatRateBp: z.number().int().min(0).max(10_000).optional(),
    /** UN/ECE Rec 20 (C62 one, MON month, ANN year…). */
    unitCode: z.enum(UNIT_CODES).optional(),
    /** Omitted: decided from the rate and the VAT rule (common/vat-category.ts). */
    vatCategory: z.enum(VAT_CATEGORIES).nullish(),
    /** Required for an exempt (E) line: the legal basis, printed and in the e-invoice. */
    exemptionReason: z.string().trim().min(1).max(300).nullish(),
  })
  .superRefine((line, ctx) => {
    // A line is worth at most what one amount may be: beyond, quantity × price (and its VAT)
    // would leave exact integer arithmetic, and the user would get an internal error.
    const maximum = 100_000_000_00 * 1000;
    if (Math.abs(line.quantityMilli * line.unitPriceMinor) > maximum) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'number',
        maximum,
        inclusive: true,
        input: line.unitPriceMinor,
        path: ['unitPriceMinor'],
      });
    }
  });
export type InvoiceLineInput = z.infer<typeof InvoiceLineInput>;

export const CreateInvoice = z.object({
  kind: z.enum(['invoice', 'pro_forma']).default('invoice'),
  /** The organization that pays: the invoice lives there. */
  organizationId: Id,
  /** Whose products are billed; defaults to the payer. */
  productsOrganizationId: Id.optional(),
  /** Defaults to the provider organization chosen in settings. */
  issuerOrganizationId: Id.optional(),
  billingAddressId: Id.nullish(),
  locale: z.enum(DOCUMENT_LOCALES).optional(),
  issuedOn: IsoDate.optional(),
  notes: z.string().max(2000).nullish(),
  lines: z.array(InvoiceLineInput).max(1000).default([]),
});
/** "New invoice" before its first edit: what the draft would be, nothing stored. */
export const BlankInvoice = CreateInvoice.pick({ kind: true, organizationId: true });
export const ProFormaForProducts = z.object({
  organizationId: Id,
  productIds: z.array(Id).min(1).max(1000),
  issuerOrganizationId: Id.optional(),
  locale: z.enum(DOCUMENT_LOCALES).optional(),
  issue: z.boolean().default(true),
});
export const UpdateDraft = z.object({
  id: Id,
  billingAddressId: Id.nullish(),
  locale: z.enum(DOCUMENT_LOCALES).optional(),
  issuedOn: IsoDate.optional(),
  notes: z.string().max(2000).nullish(),
  lines: z.array(InvoiceLineInput).max(1000).optional(),
});
export const IssueInvoice = z.object({ id: Id, issuedOn: IsoDate.optional() });
export const InvoiceRef = z.object({ id: Id });
export const InvoiceByNumber = z.object({
  number: z.string().trim().min(1).max(60),
  /** Whose number: needed only when several issuers hold it (imported history, older numbers). */
  issuerOrganizationId: Id.optional(),
  actingOrganizationId: ActingOrganizationId,
});
/** An invoice read as an organization: not_visible unless it pays the invoice. */
export const InvoiceView = InvoiceRef.extend({ actingOrganizationId: ActingOrganizationId });
export const CreateCreditNote = z.object({
  invoiceId: Id,
  /** Omitted: the whole invoice is credited (and cancelled or refunded). */
  lines: z.array(InvoiceLineInput).max(1000).optional(),
  notes: z.string().max(2000).nullish(),
});

export const InvoiceFilters = z.object({
  organizationId: Id.optional(),
  organizationIds: z.array(Id).max(10_000).default([]),
  statuses: z.array(z.enum(INVOICE_STATUSES)).default([]),
  kinds: z.array(z.enum(INVOICE_KINDS)).default([]),
  overdue: z.boolean().optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  currency: CurrencyCode.optional(),
  search: z.string().max(200).optional(),
  /** Invoices billing this organization's products (a partner's view of one client). */
  productsOrganizationId: Id.optional(),
  /** Issued documents only (a period pack): drafts left out whatever the statuses. */
  issuedOnly: z.boolean().optional(),
  actingOrganizationId: ActingOrganizationId,
});
export type InvoiceFilters = z.infer<typeof InvoiceFilters>;
export const ListInvoices = InvoiceFilters.extend({
  direction: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(300).nullish(),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const RecordPayment = z.object({
  invoiceId: Id,
  amountMinor: PositiveAmount,
  currency: CurrencyCode,
  method: z.enum(PAYMENT_METHODS).exclude(['prepaid']),
  receivedOn: IsoDate,
  reference: z.string().trim().max(60).nullish(),
});

export const TopUp = z.object({
  organizationId: Id,
  amountMinor: PositiveAmount,
  currency: CurrencyCode.optional(),
  method: z.enum(PAYMENT_METHODS).exclude(['prepaid']).default('bank_transfer'),
  note: z.string().max(500).nullish(),
});
export const Withdraw = z.object({
  organizationId: Id,
  amountMinor: PositiveAmount,
  currency: CurrencyCode.optional(),
  method: z.enum(['bank_transfer', 'paypal']).default('bank_transfer'),
  note: z.string().max(500).nullish(),
});
export const PayFromBalance = z.object({
  organizationId: Id,
  items: z
    .array(z.object({ invoiceId: Id, amountMinor: PositiveAmount.optional() }))
    .min(1)
    .max(1000),
});
export const ListLedger = z.object({
  organizationId: Id,
  actingOrganizationId: ActingOrganizationId,
  currency: CurrencyCode.optional(),
  cursor: z.string().max(300).nullish(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export const OrganizationRef = z.object({ organizationId: Id });

/** The series report: one issuer's series, or every issuer's. */
export const SeriesReportInput = z.object({ issuerOrganizationId: Id.optional() }).default({});
export const OrganizationView = OrganizationRef.extend({ actingOrganizationId: ActingOrganizationId });
export const RenewalReminders = z.object({
  organizationId: Id.optional(),
  today: IsoDate.optional(),
  actingOrganizationId: ActingOrganizationId,
});

export const CSV_PROFILE_IDS = ['spreadsheet', 'excel-fr', 'excel-ch', 'excel-de', 'excel-it'] as const;
/** The filtered invoices as a file (a stream: no path, the door decides where it goes). */
export const InvoicesFile = z.object({
  format: z.enum(['csv', 'xlsx']),
  profile: z.enum(CSV_PROFILE_IDS).default('spreadsheet'),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
  filters: InvoiceFilters.default(InvoiceFilters.parse({})),
  actingOrganizationId: ActingOrganizationId,
});
/** A file-system path: only in inputs of methods the 'local' door alone may call. */
const LocalPath = z.string().trim().min(1).max(4096);
export const ExportInvoices = InvoicesFile.extend({ out: LocalPath });
/** A period pack made in the background into the job's own folder (saved with jobs.file). */
export const PackJob = z.object({
  profile: z.enum(CSV_PROFILE_IDS).default('spreadsheet'),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
  filters: InvoiceFilters.default(InvoiceFilters.parse({})),
  actingOrganizationId: ActingOrganizationId,
});
/** `out`: a folder, or a file ending in .zip. */
export const ExportPack = PackJob.extend({ out: LocalPath });
export const InvoicePdf = z.object({
  id: Id.optional(),
  number: z.string().max(60).optional(),
  issuerOrganizationId: Id.optional(),
  actingOrganizationId: ActingOrganizationId,
});
export const JobRef = z.object({ jobId: Id, locale: z.string().max(20).optional() });
export const StartExport = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invoices'), input: ExportInvoices }),
  z.object({ kind: z.literal('pack'), input: ExportPack }),
]);

/** factur-x: the PDF/A-3 with its CII inside; cii: the XML alone; ubl: Peppol BIS Billing 3.0; xrechnung: UBL for German public buyers. */
export const EINVOICE_FILE_FORMATS = ['factur-x', 'cii', 'ubl', 'xrechnung'] as const;
export type EinvoiceFileFormat = (typeof EINVOICE_FILE_FORMATS)[number];
export const InvoiceEinvoice = InvoicePdf.extend({
  /** Omitted: what the customer organization receives (its setting, else its country's default). */
  format: z.enum(EINVOICE_FILE_FORMATS).optional(),
});
