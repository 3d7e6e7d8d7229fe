// A credit note's refund to the prepaid account is part of the invoice module's own work. It
// used to be a hook that ledger.service.ts filled in when imported: a process that loaded the
// invoices without the ledger (a script, a worker, a CLI command that loads lazily) issued the
// credit note and silently skipped the refund. This runs the credit note in such a process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { MIGRATIONS_DIR, REPO_ROOT, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-refund-alone-');

it('refunds what was paid in a process that imports only the invoice module', async () => {
  const k = space.kontor();
  await setUpProvider(k);
  const org = await createPayer(k, { name: 'Clinique des Alpes SA' });
  const invoice = await issueInvoice(k, org.id, [line(10_000)]);
  await k.ok('payments.record', {
    invoiceId: invoice.id,
    amountMinor: 10_810,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: '2026-03-20',
  });
  const file = k.file;
  k.close();

  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'test', 'helpers', 'credit-note-alone.ts'),
      file,
      invoice.id,
      MIGRATIONS_DIR,
    ],
    { cwd: REPO_ROOT, timeout: 60_000 },
  );
  const { noteId } = JSON.parse(stdout.trim()) as { noteId: string };

  const after = space.kontor({ file });
  expect((await after.ok('invoices.get', { id: invoice.id })).status).toBe('refunded');
  const { rows } = await after.ok('ledger.list', { organizationId: org.id });
  expect(rows.map((r) => [r.kind, r.amountMinor, r.invoiceId, r.note])).toEqual([
    ['deposit', 10_810, invoice.id, 'credit_note_refund'],
  ]);
  expect((await after.ok('invoices.get', { id: noteId })).kind).toBe('credit_note');
});
