import { text } from 'drizzle-orm/sqlite-core';
import { invoices } from './invoices';
import { organizations } from './organizations';

/**
 * The columns of a record that follows one invoice (a reminder of it, the renewal it bills, a
 * void drawn for it): its payer, its issuer and the invoice. Who may see the record is decided
 * by the payer and issuer exactly as for the invoice (server/scope.ts), so the three are named
 * and tied the same way in every such table. A function, not a shared object, so that each
 * table gets builders of its own.
 */
export function invoiceParties() {
  return {
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    issuerOrganizationId: text('issuer_organization_id')
      .notNull()
      .references(() => organizations.id),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id),
  };
}
