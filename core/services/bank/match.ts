// What each credit of a bank statement is (issue 12, DOMAIN.md "Payment"): matched to an invoice
// by its structured reference (QRR, SCOR / ISO 11649), else by an invoice number in the
// remittance text. An exact or smaller amount pays the invoice (partly); an over-payment, another
// currency or a payment for an invoice already settled goes to the payer's prepaid account, with
// its reason (the seeds' rule); exactly what the invoice owes plus its reminders' open fees pays
// both; no invoice found waits in the to-reconcile list. Reads only.
import { CURRENCIES } from '#common/enums';
import type { StatementCredit } from '#core/import/bank/camt';
import type { Currency } from '#db/schema/index';
import { openFeesOf } from '../billing/reminder-fees';
import type { Ctx } from '../context';

export type Outcome =
  | {
      kind: 'exact' | 'partial';
      invoiceId: string;
      invoiceNumber: string | null;
      organizationId: string;
      dueMinor: number;
      /**
       * What the credit brings beyond the invoice when it is exactly what the invoice still
       * owes with its reminders' open fees (due + fees; due is 0 when only the fees were left):
       * the invoice is paid, then the fees, as the firm's fee income (billing/reminder-fees.ts).
       */
      reminderFeeMinor?: number;
    }
  | {
      kind: 'deposit';
      reason: 'more_than_due' | 'currency_mismatch' | 'already_settled';
      invoiceId: string;
      invoiceNumber: string | null;
      organizationId: string;
    }
  | { kind: 'unmatched'; reason: 'no_invoice' | 'unsupported_currency' }
  | { kind: 'duplicate' };

export interface ProposedEntry extends StatementCredit {
  key: string;
  matchedBy: 'reference' | 'number' | null;
  outcome: Outcome;
}

/** The key a credit is remembered by: in the payment it records, and in the to-reconcile list. */
export const entryKey = (entryRef: string) => `camt:${entryRef}`.slice(0, 140);

const INVOICE_NUMBER = /\b[A-Z]{2,3}(?:-[A-Z0-9]{2,6})?-\d{4}-[0-9A-F]{6}-\d{6}\b/g;

interface InvoiceRow {
  id: string;
  number: string | null;
  organization_id: string;
  currency: Currency;
  status: string;
  gross_minor: number;
  paid_minor: number;
  credited: number;
}

export function proposeMatches(ctx: Ctx, credits: readonly StatementCredit[]): ProposedEntry[] {
  const byReference = ctx.raw.prepare(
    `SELECT i.*, coalesce((SELECT sum(c.gross_minor) FROM invoices c WHERE c.corrects_invoice_id = i.id AND c.kind = 'credit_note' AND c.status <> 'draft'), 0) AS credited
     FROM invoices i WHERE i.payment_reference = ? AND i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status <> 'draft' LIMIT 1`,
  );
  const byNumber = ctx.raw.prepare(
    `SELECT i.*, coalesce((SELECT sum(c.gross_minor) FROM invoices c WHERE c.corrects_invoice_id = i.id AND c.kind = 'credit_note' AND c.status <> 'draft'), 0) AS credited
     FROM invoices i WHERE i.number = ? AND i.kind = 'invoice' AND i.deleted_at IS NULL AND i.status <> 'draft' LIMIT 1`,
  );
  const remembered = ctx.raw.prepare(
    'SELECT 1 FROM payments WHERE reference = ? UNION ALL SELECT 1 FROM statement_entries WHERE id = ? LIMIT 1',
  );
  // Several credits of one file for one invoice: each sees what the ones before it left due.
  const paidInFile = new Map<string, number>();
  const feesInFile = new Map<string, number>();
  const seen = new Set<string>();
  return credits.map((credit) => {
    const key = entryKey(credit.entryRef);
    const base = { ...credit, key, matchedBy: null as ProposedEntry['matchedBy'] };
    if (seen.has(key) || remembered.get(key, key)) return { ...base, outcome: { kind: 'duplicate' } };
    seen.add(key);
    let invoice: InvoiceRow | undefined;
    let matchedBy: ProposedEntry['matchedBy'] = null;
    if (credit.reference) {
      invoice = byReference.get(credit.reference) as InvoiceRow | undefined;
      if (invoice) matchedBy = 'reference';
    }
    if (!invoice && credit.text) {
      for (const number of credit.text.toUpperCase().match(INVOICE_NUMBER) ?? []) {
        invoice = byNumber.get(number) as InvoiceRow | undefined;
        if (invoice) {
          matchedBy = 'number';
          break;
        }
      }
    }
    const known = (CURRENCIES as readonly string[]).includes(credit.currency);
    if (!invoice)
      return {
        ...base,
        outcome: { kind: 'unmatched', reason: known ? 'no_invoice' : 'unsupported_currency' },
      };
    if (!known) return { ...base, matchedBy, outcome: { kind: 'unmatched', reason: 'unsupported_currency' } };
    const target = {
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      organizationId: invoice.organization_id,
    };
    const due =
      invoice.gross_minor - invoice.credited - invoice.paid_minor - (paidInFile.get(invoice.id) ?? 0);
    const settled = ['paid', 'refunded', 'cancelled'].includes(invoice.status) || due <= 0;
    const deposit = (reason: 'more_than_due' | 'currency_mismatch' | 'already_settled') => ({
      ...base,
      matchedBy,
      outcome: { kind: 'deposit' as const, reason, ...target },
    });
    // Exactly what the invoice owes with its reminders' open fees (or the fees alone, the invoice
    // paid since): both settled, invoice first. Only then are the fees looked up, so a plain
    // payment costs no query more.
    const owed = Math.max(0, due);
    if (credit.currency === invoice.currency && credit.amountMinor > owed) {
      const fees = openFeesOf(ctx, invoice.id) - (feesInFile.get(invoice.id) ?? 0);
      if (fees > 0 && credit.amountMinor === owed + fees) {
        paidInFile.set(invoice.id, (paidInFile.get(invoice.id) ?? 0) + owed);
        feesInFile.set(invoice.id, (feesInFile.get(invoice.id) ?? 0) + fees);
        return {
          ...base,
          matchedBy,
          outcome: { kind: 'exact' as const, ...target, dueMinor: owed, reminderFeeMinor: fees },
        };
      }
    }
    if (settled) return deposit('already_settled');
    if (credit.currency !== invoice.currency) return deposit('currency_mismatch');
    if (credit.amountMinor > due) return deposit('more_than_due');
    paidInFile.set(invoice.id, (paidInFile.get(invoice.id) ?? 0) + credit.amountMinor);
    return {
      ...base,
      matchedBy,
      outcome: { kind: credit.amountMinor === due ? 'exact' : 'partial', ...target, dueMinor: due },
    };
  });
}
