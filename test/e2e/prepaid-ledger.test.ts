import { describe, expect, it } from 'vitest';
import { formatMoney } from '#common/money';
import type { Kontor } from '#core/kontor';
import { expectCount, expectText, type Session, sessionForBlock } from './harness';
import { caller, hostingFirm, swissCompany } from './seed';

// Issue 14 review: the prepaid account's table was walked by no e2e. What a person sees and
// does there: the balance per currency (each a button that shows that currency's entries),
// the entries newest first with the running balance after each, an invoice paid from the
// balance linked by its number, a top-up and a withdrawal through their dialogs, a withdrawal
// past zero refused in words with nothing changed, and the next page of a long account.

interface World {
  customerId: string;
  invoiceNumber: string;
}

const TOP_UPS = 54;

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  await hostingFirm(call);
  w.customerId = await swissCompany(call, 'Käserei Müller AG', 'Bern', '3000');
  await call('ledger.topUp', {
    organizationId: w.customerId,
    amountMinor: 100_000,
    note: 'Vorauszahlung 2026',
  });
  const draft = await call<{ id: string }>('invoices.create', {
    organizationId: w.customerId,
    lines: [{ description: 'Webhosting 2026', quantityMilli: 1000, unitPriceMinor: 20_000 }],
  });
  const issued = await call<{ id: string; number: string }>('invoices.issue', { id: draft.id });
  w.invoiceNumber = issued.number;
  await call('ledger.payInvoices', { organizationId: w.customerId, items: [{ invoiceId: issued.id }] });
  await call('ledger.withdraw', { organizationId: w.customerId, amountMinor: 5_000 });
  // A long account: more entries than one page (50) holds.
  for (let i = 1; i <= TOP_UPS; i++)
    await call('ledger.topUp', { organizationId: w.customerId, amountMinor: 100 * i, method: 'card' });
  await call('ledger.topUp', { organizationId: w.customerId, amountMinor: 30_000, currency: 'EUR' });
}

/** The rows on screen, newest first: kind, amount and the balance after, in minor units. */
async function entries(s: Session) {
  return s.page.$$eval('[data-testid="ledger-entry"]', (rows) =>
    rows.map((r) => ({
      kind: r.getAttribute('data-kind') ?? '',
      amount: Number(r.getAttribute('data-amount-minor')),
      balance: Number(r.getAttribute('data-balance-minor')),
      text: r.textContent ?? '',
    })),
  );
}

/** The balance after each entry is the one before it plus its amount, down to the first. */
function expectRunning(rows: { amount: number; balance: number }[], startsAtZero: boolean) {
  for (let i = 0; i + 1 < rows.length; i++)
    expect(rows[i]!.balance, `row ${i}`).toBe(rows[i + 1]!.balance + rows[i]!.amount);
  const oldest = rows.at(-1)!;
  if (startsAtZero) expect(oldest.balance).toBe(oldest.amount);
  for (const r of rows) expect(r.balance).toBeGreaterThanOrEqual(0);
}

for (const v of [
  { width: 1024, height: 700, colorScheme: 'light', locale: 'de-CH' },
  { width: 1440, height: 900, colorScheme: 'dark', locale: 'en-GB' },
] as const) {
  describe(`the prepaid account at ${v.width} px, ${v.locale}, ${v.colorScheme}`, () => {
    let s: Session;
    const w = {} as World;
    const name = `prepaid-ledger-${v.width}-${v.locale}`;
    sessionForBlock(
      name,
      v,
      (k) => seed(k, w),
      (opened) => {
        s = opened;
      },
      120_000,
    );

    it('lists the entries newest first with the running balance, a page at a time', async () => {
      const { page } = s;
      await page.goto(`${s.host.url}#/org/${w.customerId}/ledger`);
      await expectCount(page.getByTestId('ledger-entry'), 50);
      await s.shot('ledger-first-page');
      const first = await entries(s);
      expectRunning(first, false);
      // Newest first: the last card top-up heads the list.
      expect(first[0]).toMatchObject({ kind: 'top_up', amount: 100 * TOP_UPS });
      // The CHF balance button says what the newest entry's balance says.
      const chf = page.locator('[data-testid="ledger-balance"][data-currency="CHF"]');
      expect(Number(await chf.getAttribute('data-balance-minor'))).toBe(first[0]!.balance);
      expect(await chf.getAttribute('aria-pressed')).toBe('true');

      await page.getByTestId('ledger-load-more').click();
      await expectCount(page.getByTestId('ledger-entry'), TOP_UPS + 3);
      const all = await entries(s);
      expectRunning(all, true);
      expect(all.map((r) => r.kind).slice(-4)).toEqual(['top_up', 'withdrawal', 'invoice_payment', 'top_up']);
      // The invoice paid from the balance is named by its number, a link to it.
      const paid = page.locator('[data-testid="ledger-entry"][data-kind="invoice_payment"] a');
      expect(await paid.textContent()).toBe(w.invoiceNumber);
      expect(await paid.getAttribute('href')).toContain(`/org/${w.customerId}/invoices/`);
      await paid.scrollIntoViewIfNeeded();
      // On one line, cut in its middle: its distinguishing end stays in sight (it wrapped).
      const tail = await paid.evaluate((a) => {
        const link = a.getBoundingClientRect();
        const end = a.querySelector('.mid-ellipsis-tail')?.getBoundingClientRect();
        return {
          text: a.querySelector('.mid-ellipsis-tail')?.textContent,
          inSight: !!end && end.right <= link.right + 0.5,
          lines: Math.round(link.height / parseFloat(getComputedStyle(a).lineHeight || '20')),
        };
      });
      expect(tail).toEqual({ text: w.invoiceNumber.slice(-8), inSight: true, lines: 1 });
      // Every amount signed before it, debits as credits ("CHF-50.00" beside "+CHF 54.00" it was).
      const amounts = await page.$$eval('[data-testid="ledger-entry"] .ledger-amount', (cells) =>
        cells.map((c) => c.textContent?.trim() ?? ''),
      );
      for (const [i, a] of amounts.entries())
        expect(a, a).toMatch(all[i]!.amount > 0 ? /^\+\D/ : /^\u2212\D/);
      await s.shot('ledger-oldest-entries');
    });

    it('shows another currency’s entries from its balance', async () => {
      const { page } = s;
      await page.locator('[data-testid="ledger-balance"][data-currency="EUR"]').click();
      await expectCount(page.getByTestId('ledger-entry'), 1);
      expect(await entries(s)).toMatchObject([{ kind: 'top_up', amount: 30_000, balance: 30_000 }]);
      // Back to francs: the pages already read stay (no second trip for what was on screen).
      await page.locator('[data-testid="ledger-balance"][data-currency="CHF"]').click();
      await expectCount(page.getByTestId('ledger-entry'), TOP_UPS + 3);
      expectRunning(await entries(s), true);
    });

    it('tops up and withdraws through their dialogs; a withdrawal past zero is refused in words', async () => {
      const { page } = s;
      const chf = page.locator('[data-testid="ledger-balance"][data-currency="CHF"]');
      const before = Number(await chf.getAttribute('data-balance-minor'));
      await page.getByTestId('ledger-topup').click();
      await page.getByTestId('ledger-topup-amount').fill('250.00');
      await page.getByTestId('ledger-topup-note').fill('Akonto Juni');
      await s.shot('ledger-topup-dialog');
      await page.getByTestId('ledger-topup-submit').click();
      await expectCount(page.getByTestId('ledger-topup-dialog'), 0);
      await expect
        .poll(async () => (await entries(s))[0], { timeout: 10_000 })
        .toMatchObject({ kind: 'top_up', amount: 25_000, balance: before + 25_000 });
      expect((await entries(s))[0]!.text).toContain('Akonto Juni');
      expect(Number(await chf.getAttribute('data-balance-minor'))).toBe(before + 25_000);

      // More than the balance: the API's refusal, in the dialog, and nothing booked.
      await page.getByTestId('ledger-withdraw').click();
      await page.getByTestId('ledger-withdraw-amount').fill(String((before + 25_000) / 100 + 1));
      await page.getByTestId('ledger-withdraw-submit').click();
      await expectText(page.getByTestId('ledger-withdraw-error'), /./);
      const refusal = (await page.getByTestId('ledger-withdraw-error').textContent()) ?? '';
      expect(refusal).not.toMatch(/[a-z]+_[a-z]+/);
      // Its amounts as the screen's region writes money: the balance is CHF 2,468.80 in en-GB,
      // where Kontor alone, knowing only the language, wrote CHF 2'468.80 (and before, 2468.80 CHF).
      expect(refusal).toContain(formatMoney(before + 25_000, 'CHF', v.locale));
      await s.shot('ledger-withdraw-refused');
      await page.keyboard.press('Escape');
      await expectCount(page.getByTestId('ledger-withdraw-dialog'), 0);
      expect((await entries(s))[0]).toMatchObject({ kind: 'top_up', amount: 25_000 });

      await page.getByTestId('ledger-withdraw').click();
      await page.getByTestId('ledger-withdraw-amount').fill('100.00');
      await page.getByTestId('ledger-withdraw-submit').click();
      await expectCount(page.getByTestId('ledger-withdraw-dialog'), 0);
      await expect
        .poll(async () => (await entries(s))[0], { timeout: 10_000 })
        .toMatchObject({ kind: 'withdrawal', amount: -10_000, balance: before + 15_000 });
      expectRunning(await entries(s), false);
      await s.shot('ledger-after-withdrawal');
    });
  });
}
