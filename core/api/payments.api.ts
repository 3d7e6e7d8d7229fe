import { z } from 'zod';
import { RecordPayment } from '#common/invoices.schema';
import { AssignStatementEntry, ImportStatement, StatementEntryRef } from '#common/statements.schema';
import { assignEntry, dismissEntry, importStatement, unmatchedEntries } from '../services/bank/statements';
import { recordPayment } from '../services/ledger.service';
import { mutation, query } from './method';

export const paymentsApi = {
  'payments.record': mutation(
    RecordPayment,
    'Record a payment; a mismatch is deposited to the prepaid account',
    recordPayment,
  ),
  'payments.importStatement': mutation(
    ImportStatement,
    'Import a camt.053 / camt.054 bank statement: each credit matched by QRR/SCOR reference or invoice number (dryRun: the preview, nothing written); all or nothing; an entry already imported is never recorded twice',
    importStatement,
  ),
  'payments.unmatched': query(z.object({}), 'Statement credits waiting to be reconciled', (ctx) =>
    unmatchedEntries(ctx),
  ),
  'payments.assignEntry': mutation(
    AssignStatementEntry,
    'Reconcile a waiting credit: pay an invoice with it, or deposit it to an organization’s prepaid account',
    assignEntry,
  ),
  'payments.dismissEntry': mutation(
    StatementEntryRef,
    'Dismiss a waiting credit (not ours to book)',
    (ctx, i) => dismissEntry(ctx, i.entryId),
  ),
};
