import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CURRENCIES } from '#common/enums';

/** How a received e-invoice came: a Factur-X PDF, a CII file, a UBL (Peppol) or an XRechnung file. */
export const RECEIVED_FORMATS = ['factur-x', 'cii', 'ubl', 'xrechnung'] as const;

// A supplier's e-invoice (or credit note) an organization received, imported from its file
// (core/import/einvoice). Read-only once imported, but for its payment: the model (every
// business term EN 16931 names, as read) is the document, the columns beside it are what lists,
// duplicate checks and exports need of it, derived once at import. The original file is kept
// byte for byte for download.
//
// Local to the device that imported it, never synced: the hub carries rows, not files of
// several megabytes. For the same reason organization_id is not a foreign key: a scope change
// may purge the organization from this device (db/sync/apply-purge.ts) and a received document
// must survive that (it shows again when the organization comes back).
export const receivedDocuments = sqliteTable(
  'received_documents',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    format: text('format', { enum: RECEIVED_FORMATS }).notNull(),
    // UNTDID 1001 (BT-3): 380 invoice, 381 credit note…
    typeCode: text('type_code').notNull(),
    creditNote: integer('credit_note', { mode: 'boolean' }).notNull(),
    number: text('number').notNull(),
    issuedOn: text('issued_on').notNull(),
    dueOn: text('due_on'),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    sellerName: text('seller_name').notNull(),
    // The seller's VAT id, else its legal id, else its name, compacted: what makes a number unique.
    sellerKey: text('seller_key').notNull(),
    sellerVatId: text('seller_vat_id'),
    netMinor: integer('net_minor').notNull(),
    vatMinor: integer('vat_minor').notNull(),
    grossMinor: integer('gross_minor').notNull(),
    payableMinor: integer('payable_minor').notNull(),
    paymentReference: text('payment_reference'),
    iban: text('iban'),
    model: text('model', { mode: 'json' }).notNull().$type<unknown>(),
    fileName: text('file_name').notNull(),
    file: blob('file', { mode: 'buffer' }).notNull(),
    // The XML as read (for a Factur-X, the embedded factur-x.xml).
    xml: text('xml').notNull(),
    sha256: text('sha256').notNull(),
    importedAt: text('imported_at').notNull(),
    // Paid (yyyy-mm-dd) by the organization, or null: the one thing that changes after import.
    paidOn: text('paid_on'),
  },
  (t) => [
    uniqueIndex('received_documents_number_uq').on(t.organizationId, t.sellerKey, t.typeCode, t.number),
    index('received_documents_org_issued_idx').on(t.organizationId, t.issuedOn, t.id),
    index('received_documents_issued_idx').on(t.issuedOn, t.id),
    index('received_documents_sha_idx').on(t.sha256),
  ],
);

export type ReceivedDocument = typeof receivedDocuments.$inferSelect;
