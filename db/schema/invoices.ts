import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { billingAddresses } from './billing-addresses';
import { syncedColumns } from './columns';
import {
  CURRENCIES,
  DOCUMENT_LOCALES,
  INVOICE_KINDS,
  INVOICE_STATUSES,
  type OperationCategory,
  type PaymentMeansCode,
  REFERENCE_TYPES,
  UNIT_CODES,
  VAT_CATEGORIES,
} from '#common/enums';
import { organizations } from './organizations';
import { products } from './products';

/** A copy of a party as it was when the document was issued: later edits never reach it. */
export interface PartySnapshot {
  name: string;
  recipient: string;
  street: string;
  line2: string | null;
  postalCode: string;
  city: string;
  country: string;
  vatNumber: string | null;
  uid: string | null;
  email: string | null;
  iban: string | null;
  // Since the e-invoice migration (absent on older snapshots). `street` above is the printed
  // line; these are its structured parts (QR-bill type S).
  streetName?: string | null;
  buildingNumber?: string | null;
  shortName?: string | null;
  siren?: string | null;
  siret?: string | null;
  leitwegId?: string | null;
  peppolId?: string | null;
  bic?: string | null;
  qrIban?: string | null;
  /** Issuer only: its settings when the document was issued. */
  operationCategory?: OperationCategory;
  vatOnDebits?: boolean;
  paymentMeansCode?: PaymentMeansCode;
  /** Issuer only: the line at the foot of its documents (absent when it has none). */
  footer?: string;
}

export const invoices = sqliteTable(
  'invoices',
  {
    ...syncedColumns,
    kind: text('kind', { enum: INVOICE_KINDS }).notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull().default('draft'),
    // Where the invoice lives: the organization that pays it (DOMAIN.md, invoice visibility).
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    // Whose products it bills (the client, also when a partner pays for them).
    productsOrganizationId: text('products_organization_id')
      .notNull()
      .references(() => organizations.id),
    issuerOrganizationId: text('issuer_organization_id')
      .notNull()
      .references(() => organizations.id),
    billingAddressId: text('billing_address_id').references(() => billingAddresses.id),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    locale: text('locale', { enum: DOCUMENT_LOCALES }).notNull().default('en'),
    // Numbering: consumed only when issuing, inside the issuing transaction.
    series: text('series'),
    sequence: integer('sequence'),
    number: text('number'),
    // For a draft, the planned issue date; set for good when issued.
    issuedOn: text('issued_on').notNull(),
    dueOn: text('due_on'),
    billTo: text('bill_to', { mode: 'json' }).$type<PartySnapshot | null>(),
    issuer: text('issuer', { mode: 'json' }).$type<PartySnapshot | null>(),
    reverseCharge: integer('reverse_charge', { mode: 'boolean' }).notNull().default(false),
    netMinor: integer('net_minor').notNull().default(0),
    vatMinor: integer('vat_minor').notNull().default(0),
    grossMinor: integer('gross_minor').notNull().default(0),
    // Paid so far: the sum of payments applied, kept with the status in one write.
    paidMinor: integer('paid_minor').notNull().default(0),
    referenceType: text('reference_type', { enum: REFERENCE_TYPES }),
    paymentReference: text('payment_reference'),
    correctsInvoiceId: text('corrects_invoice_id'),
    convertedFromId: text('converted_from_id'),
    notes: text('notes'),
    // The number an imported draft had in the system it came from (never our own numbering).
    importRef: text('import_ref'),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.issuerOrganizationId, t.number).where(sql`number is not null`),
    // Finding a document by its number alone (`kontor pdf NUMBER`), and the check at issue
    // that no other issuer of the book holds the number about to be given.
    index('invoices_number_idx').on(t.number).where(sql`number is not null`),
    uniqueIndex('invoices_series_seq_uq')
      .on(t.issuerOrganizationId, t.series, t.sequence)
      .where(sql`sequence is not null`),
    // Lists: keyset over (issued_on, id) per organization, and across organizations.
    index('invoices_org_issued_idx').on(t.organizationId, t.issuedOn, t.id),
    index('invoices_issued_idx').on(t.issuedOn, t.id),
    // Counts by status and monthly totals without touching the table: every column those
    // queries read, partial on live rows like the queries themselves.
    index('invoices_status_cover_idx')
      .on(t.status, t.currency, t.kind, t.issuedOn, t.grossMinor, t.paidMinor, t.netMinor, t.vatMinor)
      .where(sql`deleted_at is null`),
    index('invoices_due_idx').on(t.organizationId, t.status, t.dueOn),
    // What credit notes took off an invoice (its amount due): read for every invoice shown,
    // every page of a list and the prepaid account's "Pay invoices…".
    index('invoices_corrects_idx').on(t.correctsInvoiceId).where(sql`corrects_invoice_id is not null`),
    // A bank statement's credit finds its invoice by the payment reference (QRR, SCOR).
    index('invoices_payment_reference_idx').on(t.paymentReference).where(sql`payment_reference is not null`),
    uniqueIndex('invoices_import_ref_uq')
      .on(t.issuerOrganizationId, t.importRef)
      .where(sql`import_ref is not null`),
  ],
);

export const invoiceLines = sqliteTable(
  'invoice_lines',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
    position: integer('position').notNull(),
    productId: text('product_id').references(() => products.id),
    description: text('description').notNull(),
    // Thousandths: 1000 = 1 unit, so 1.5 months or 0.25 h stay exact integers.
    quantityMilli: integer('quantity_milli').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    discountBp: integer('discount_bp').notNull().default(0),
    vatRateBp: integer('vat_rate_bp').notNull(),
    // UN/ECE Rec 20 unit of the quantity (BT-130).
    unitCode: text('unit_code', { enum: UNIT_CODES }).notNull().default('C62'),
    // UNCL 5305 VAT category (BT-151), decided when the line is priced (vat-category.ts).
    vatCategory: text('vat_category', { enum: VAT_CATEGORIES }),
    // Why an E (exempt) line carries no VAT (BT-120), printed and in the e-invoice.
    exemptionReason: text('exemption_reason'),
    netMinor: integer('net_minor').notNull(),
    vatMinor: integer('vat_minor').notNull(),
    grossMinor: integer('gross_minor').notNull(),
  },
  (t) => [index('invoice_lines_invoice_idx').on(t.invoiceId, t.position)],
);

// One row per (issuer, kind, year, device): the next number of a gapless series.
export const invoiceSeries = sqliteTable(
  'invoice_series',
  {
    id: text('id').primaryKey(),
    issuerOrganizationId: text('issuer_organization_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull(),
    year: integer('year').notNull(),
    code: text('code').notNull(),
    deviceId: text('device_id').notNull(),
    nextSequence: integer('next_sequence').notNull().default(1),
  },
  (t) => [uniqueIndex('invoice_series_uq').on(t.issuerOrganizationId, t.kind, t.year, t.code)],
);

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceLine = typeof invoiceLines.$inferSelect;
export type InvoiceSeries = typeof invoiceSeries.$inferSelect;
