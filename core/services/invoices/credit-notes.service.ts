import type { z } from 'zod';
import { invoices } from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail, moneyParam } from '#common/errors';
import { invoiceTotals } from '#common/invoice-math';
import type { CreateCreditNote, InvoiceLineInput } from '#common/invoices.schema';
import { atomically, type Ctx } from '../context';
import { reverseCashback } from '../billing/cashback';
import { refundToPrepaid } from '../ledger/entries';
import { getOrganization } from '../organizations.service';
import { getInvoice, type InvoiceDetail, vatFor } from './detail';
import { lineInputsOf, priceLines, writeLines } from './drafts.service';
import { issueInvoice } from './issue.service';

/**
 * The only way to correct an issued invoice. A full credit note cancels an unpaid invoice,
 * or refunds a paid one (what was paid goes back to the prepaid account).
 */
export function createCreditNote(ctx: Ctx, input: z.infer<typeof CreateCreditNote>): InvoiceDetail {
  return atomically(ctx, () => createCreditNoteInTx(ctx, input), true);
}

function createCreditNoteInTx(ctx: Ctx, input: z.infer<typeof CreateCreditNote>): InvoiceDetail {
  const original = getInvoice(ctx, input.invoiceId);
  if (original.kind === 'credit_note') fail('credit_note_of_credit_note');
  // A pro forma has no fiscal value: there is nothing to correct, it is simply not converted.
  if (original.kind === 'pro_forma') fail('credit_note_of_pro_forma');
  if (original.status === 'draft') fail('invoice_not_payable', { number: '', status: 'draft' });
  if (original.status === 'cancelled' || original.status === 'refunded') {
    fail('invoice_not_payable', { number: original.number ?? '', status: original.status });
  }
  const lines: InvoiceLineInput[] = input.lines ?? lineInputsOf(original.lines);
  // A line given without a rate gets the rate the VAT rule gives these parties, as on an
  // invoice (InvoiceLineInput.vatRateBp), not 0 %: the issue below checks it against that rule.
  const decision = vatFor(
    getOrganization(ctx, original.issuerOrganizationId),
    getOrganization(ctx, original.organizationId),
  );
  const credited = invoiceTotals(priceLines(lines, decision));
  const remaining = original.grossMinor - original.creditedMinor;
  if (credited.grossMinor > remaining) {
    fail('credit_note_exceeds_invoice', {
      number: original.number ?? '',
      remaining: moneyParam(remaining, original.currency),
    });
  }
  const draft = ctx.write('credit_note.created', (tx) => {
    const note = tx.insert(invoices, {
      kind: 'credit_note',
      status: 'draft',
      organizationId: original.organizationId,
      productsOrganizationId: original.productsOrganizationId,
      issuerOrganizationId: original.issuerOrganizationId,
      billingAddressId: original.billingAddressId,
      currency: original.currency,
      locale: original.locale,
      issuedOn: todayIso(ctx.clock.now()),
      correctsInvoiceId: original.id,
      notes: input.notes ?? null,
    });
    return writeLines(tx, ctx, note, lines, decision);
  });
  issueInvoice(ctx, draft.id);
  ctx.write(
    'credit_note.applied',
    (tx) => {
      // Credit notes are born settled: nothing is due on them.
      tx.update(invoices, draft.id, { status: 'paid', paidMinor: credited.grossMinor });
      const creditedTotal = original.creditedMinor + credited.grossMinor;
      // What was paid beyond what the invoice now asks goes back to the prepaid account
      // (less what earlier credit notes already refunded).
      const owedBefore = Math.max(0, original.paidMinor - (original.grossMinor - original.creditedMinor));
      const owedNow = Math.max(0, original.paidMinor - (original.grossMinor - creditedTotal));
      if (owedNow > owedBefore) refundToPrepaid(tx, ctx, original, owedNow - owedBefore);
      // The cashback this invoice earned its partner goes back in the same proportion.
      reverseCashback(tx, ctx, original, creditedTotal);
      if (creditedTotal >= original.grossMinor) {
        tx.update(invoices, original.id, { status: original.paidMinor > 0 ? 'refunded' : 'cancelled' });
      } else if (original.paidMinor + creditedTotal >= original.grossMinor && original.status !== 'paid') {
        tx.update(invoices, original.id, { status: 'paid' });
      }
    },
    { durable: true },
  );
  return getInvoice(ctx, draft.id);
}
