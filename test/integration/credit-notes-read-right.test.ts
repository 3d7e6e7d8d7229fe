// Issue 14, defect 9: a credit note named "the original invoice" instead of its number, and the
// status filter "Paid" listed credit notes (born settled) whose badge says "Issued" — and issued
// pro formas under "Unpaid". The detail names the corrected invoice; a filter by payment status
// leaves documents that are only "issued" out; a period pack (issued only) keeps them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-credit-read-');

describe('credit notes as they read', () => {
  it('name the invoice they correct, and are not listed as paid; a pack still holds them', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k);
    const invoice = await issueInvoice(k, payer.id, [line(10_000)]);
    const credit = await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    const detail = await k.ok('invoices.get', { id: credit.id });
    expect(detail.correctsNumber).toBe(invoice.number);
    expect((await k.ok('invoices.get', { id: invoice.id })).correctsNumber).toBeNull();
    const proForma = await k.ok('invoices.create', { organizationId: payer.id, kind: 'pro_forma', lines: [line(5_000)] });
    await k.ok('invoices.issue', { id: proForma.id });
    const paid = await k.ok('invoices.list', { organizationIds: [payer.id], statuses: ['paid'] });
    expect(paid.rows.map((r) => r.kind)).not.toContain('credit_note');
    const unpaid = await k.ok('invoices.list', { organizationIds: [payer.id], statuses: ['unpaid'] });
    expect(unpaid.rows.map((r) => r.kind)).not.toContain('pro_forma');
    const all = await k.ok('invoices.list', { organizationIds: [payer.id] });
    expect(all.rows.map((r) => r.kind).sort()).toEqual(['credit_note', 'invoice', 'pro_forma']);
    const out = path.join(space.dir(), 'pack');
    const pack = await k.ok('exports.pack', {
      out,
      profile: 'spreadsheet',
      locale: 'en',
      filters: { organizationIds: [], statuses: [], kinds: [] },
    });
    expect(pack.manifest.invoices).toBe(3);
    expect(fs.readdirSync(path.join(out, 'pdf')).filter((f) => f.endsWith('.pdf'))).toHaveLength(3);
  });
});
