// The EN 16931 model's input for a sample document (test/helpers/sample-documents.ts): what the
// store would hold once it is issued. The PDF and e-invoice benchmarks build their files from it.
import type { EinvoiceSource } from '#core/export/einvoice/model';
import type { DocumentParty, InvoiceDocument } from '#core/export/invoice-document';
import type { PartySnapshot } from '#db/schema/index';

function snapshot(p: DocumentParty & { iban?: string | null }): PartySnapshot {
  return {
    name: p.name,
    recipient: p.name,
    street: p.street,
    line2: null,
    postalCode: p.postalCode,
    city: p.city,
    country: p.country,
    vatNumber: p.vatNumber ?? null,
    uid: p.uid ?? null,
    email: p.email ?? null,
    iban: p.iban ?? null,
  };
}

/** The EN 16931 model's input for a sample document (what the store would hold once issued). */
export function einvoiceSourceOf(doc: InvoiceDocument, i: number): EinvoiceSource {
  return {
    kind: doc.kind === 'credit_note' ? 'credit_note' : 'invoice',
    number: doc.number ?? `INV-BENCH-${i}`,
    issuedOn: doc.issuedOn,
    dueOn: doc.dueOn,
    currency: doc.currency,
    notes: doc.notes ?? null,
    issuer: snapshot(doc.issuer),
    billTo: snapshot(doc.billTo),
    lines: doc.lines,
    paidMinor: doc.totals.paidMinor,
    paymentReference: doc.paymentReference.value,
    reverseCharge: doc.reverseCharge,
    corrects: null,
  };
}
