import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectText, type Session, startSession } from './harness';

// Issue 15: the invoice code — the issuer's short code inside every number it issues — is
// edited on the organization form: checked there (2–6 letters or digits), refused by the
// store when another issuer of the book numbers with it (the message names that issuer), and
// saved with the word that numbers already issued keep their code. Then the next invoice
// carries the new code and the one issued before keeps the old one. Screenshots in
// test-results/e2e/invoice-code/.
describe('the invoice code on the organization form', () => {
  let s: Session;
  let providerId = '';
  let payerId = '';
  let firstNumber = '';
  let call: <T>(method: string, input: unknown) => Promise<T>;
  beforeAll(async () => {
    s = await startSession('invoice-code', {
      seed: async (kontor) => {
        call = async <T>(method: string, input: unknown) => {
          const r = await kontor.router.invoke(method, input);
          if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
          return r.value as T;
        };
        await call('organizations.create', {
          kind: 'company',
          name: 'Acme Hébergement SA',
          country: 'CH',
          currency: 'CHF',
          invoiceCode: 'ACME',
        });
        const provider = await call<{ id: string }>('organizations.create', {
          kind: 'company',
          name: 'Léman Services Sàrl',
          country: 'CH',
          currency: 'CHF',
          uid: 'CHE-116.281.710',
          iban: 'CH44 3199 9123 0008 8901 2',
        });
        providerId = provider.id;
        await call('addresses.create', {
          organizationId: provider.id,
          label: 'Siège',
          recipient: 'Léman Services Sàrl',
          line1: 'Quai du Mont-Blanc 5',
          postalCode: '1201',
          city: 'Genève',
          country: 'CH',
        });
        await call('settings.setProvider', { organizationId: provider.id });
        const payer = await call<{ id: string }>('organizations.create', {
          kind: 'company',
          name: 'Zürcher Treuhand GmbH',
          country: 'CH',
          currency: 'CHF',
        });
        payerId = payer.id;
        await call('addresses.create', {
          organizationId: payer.id,
          label: 'Sitz',
          recipient: 'Zürcher Treuhand GmbH',
          line1: 'Bahnhofstrasse 12',
          postalCode: '8001',
          city: 'Zürich',
          country: 'CH',
        });
        const draft = await call<{ id: string }>('invoices.create', {
          organizationId: payer.id,
          lines: [{ description: 'Hébergement', quantityMilli: 1000, unitPriceMinor: 10_000 }],
        });
        firstNumber = (await call<{ number: string }>('invoices.issue', { id: draft.id })).number;
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('checks the code, refuses one another issuer uses, saves it, and numbers issued before keep theirs', async () => {
    const { page } = s;
    expect(firstNumber).toMatch(/^INV-[0-9A-Z]{4}-\d{4}-[0-9A-F]{6}-000001$/);
    const derived = firstNumber.split('-')[1] as string;
    await page.goto(`${s.host.url}#/org/${providerId}/overview`);
    await page.getByTestId('org-edit').first().click();
    const field = page.getByTestId('org-form-invoice-code');
    await field.waitFor();
    // Empty: the organization numbers with its derived code, shown as the placeholder; the
    // hint says what a change does to the numbers already issued.
    expect(await field.inputValue()).toBe('');
    expect(await field.getAttribute('placeholder')).toBe(derived);
    await expectText(page.getByTestId('org-form'), /Numbers already issued keep their code/);

    await field.fill('a');
    await page.getByTestId('org-form-submit').click();
    await expectText(page.getByTestId('org-form'), /2 to 6 letters or digits \(A–Z, 0–9\)\./);
    await s.shot('invalid');

    await field.fill('acme');
    expect(await field.inputValue()).toBe('ACME');
    await page.getByTestId('org-form-submit').click();
    await expectText(
      page.getByTestId('org-form'),
      'Acme Hébergement SA already numbers its invoices with the code ACME. Choose another one.',
    );
    await s.shot('taken');
    const unchanged = await call<{ invoiceCode: string | null }>('organizations.get', { id: providerId });
    expect(unchanged.invoiceCode).toBeNull();

    await field.fill('LEMAN');
    await page.getByTestId('org-form-submit').click();
    await page.getByTestId('org-form').waitFor({ state: 'detached' });
    await s.shot('saved');
    const saved = await call<{ invoiceCode: string | null }>('organizations.get', { id: providerId });
    expect(saved.invoiceCode).toBe('LEMAN');

    // The next number carries the new code; the one issued before is never renumbered.
    const draft = await call<{ id: string }>('invoices.create', {
      organizationId: payerId,
      lines: [{ description: 'Messagerie', quantityMilli: 1000, unitPriceMinor: 5_000 }],
    });
    const next = await call<{ number: string }>('invoices.issue', { id: draft.id });
    expect(next.number).toMatch(/^INV-LEMAN-\d{4}-[0-9A-F]{6}-\d{6}$/);
    const invoices = await call<{ rows: { number: string | null }[] }>('invoices.list', {
      organizationId: payerId,
    });
    expect(invoices.rows.map((r) => r.number).sort()).toEqual([firstNumber, next.number].sort());
  });
});
