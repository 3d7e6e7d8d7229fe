import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { caller, hostingFirm, swissCompany } from './seed';
import { ARTIFACTS, expectCount, expectText, type Session, startSession, typeDate } from './harness';

// Payment reminders in the browser (issue 12, dunning), as the firm's accountant runs them: the
// Reminders screen previews which unpaid invoices are due for which level on a date, with totals
// per level (the paid one is not there), runs it, lists what was recorded and downloads a
// reminder's PDF; on a later date the second level comes with its fee; an organization's levels
// are edited in its billing settings. Screenshots light, dark and French in test-results/e2e/dunning/.

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface World {
  garage: string;
  bakery: string;
  invoices: { id: string; number: string; grossMinor: number }[];
}

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  // 30 days to pay: the invoices issued 60 and 45 days ago are overdue by 30 and 15.
  const org = (name: string, city: string, postalCode: string) =>
    swissCompany(call, name, city, postalCode, { paymentTermDays: 30 });
  await hostingFirm(call, { paymentTermDays: 30 });
  w.garage = await org('Garage du Lac SA', 'Montreux', '1820');
  w.bakery = await org('Boulangerie Dupont Sàrl', 'Vevey', '1800');
  w.invoices = [];
  // Issued 60 and 45 days ago (due 30 and 15 days ago), and one paid: never reminded.
  for (const [payer, issued, price] of [
    [w.garage, -60, 48_000],
    [w.bakery, -45, 12_500],
    [w.bakery, -50, 9_900],
  ] as const) {
    const draft = await call<{ id: string }>('invoices.create', {
      organizationId: payer,
      issuedOn: day(issued),
      lines: [{ description: 'Hébergement web', quantityMilli: 1000, unitPriceMinor: price }],
    });
    w.invoices.push(await call('invoices.issue', { id: draft.id, issuedOn: day(issued) }));
  }
  const paid = w.invoices[2] as World['invoices'][number];
  await call('payments.record', {
    invoiceId: paid.id,
    amountMinor: paid.grossMinor,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: day(-5),
  });
}

describe('payment reminders: preview, run, PDF, next level with its fee, levels in the billing settings', () => {
  let s: Session;
  const w = {} as World;
  const shots: string[] = [];

  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, 'dunning'), { recursive: true, force: true });
    s = await startSession('dunning', { seed: (kontor) => seed(kontor, w) });
  });
  afterAll(async () => {
    await s?.close();
  });
  const reminders = () => s.kontor.ctx().raw.prepare('SELECT count(*) FROM reminders').pluck().get();

  it('runs the reminders in the browser', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/organizations`);
    await page.getByTestId('nav-dunning').click();
    await page.getByTestId('dunning-none-sent').waitFor();
    // Today: the two open invoices are due for their first reminder; the paid one is not.
    await page.getByTestId('dunning-preview').click();
    await expectCount(page.getByTestId('dunning-plan-row'), 2);
    const numbers = await page
      .getByTestId('dunning-plan-row')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('a')?.textContent, (r as HTMLElement).dataset.level]),
      );
    expect(numbers.sort()).toEqual(
      [
        [w.invoices[0]?.number, '1'],
        [w.invoices[1]?.number, '1'],
      ].sort(),
    );
    await expectText(page.getByTestId('dunning-totals'), 'Level 1 · 2 reminder(s)');
    expect(reminders()).toBe(0);
    shots.push(await s.shot('preview-light'));

    await page.getByTestId('dunning-run').click();
    await page.getByTestId('confirm-ok').click();
    await expectCount(page.getByTestId('dunning-sent-row'), 2);
    await page.getByTestId('dunning-nothing').waitFor();
    expect(reminders()).toBe(2);
    shots.push(await s.shot('run-light'));

    // A reminder's PDF, downloaded as the browser saves it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('dunning-pdf').first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^reminder-1-.+\.pdf$/);
    const pdf = fs.readFileSync((await download.path()) ?? '');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Send, before any mail server is set up: the page says where to set one, nothing is queued.
    await page.getByTestId('dunning-send').first().click();
    await page
      .getByText(/No outgoing mail server is set up yet/)
      .first()
      .waitFor();
    expect(s.kontor.ctx().raw.prepare('SELECT count(*) FROM mail_outbox').pluck().get()).toBe(0);

    // Forty days on, the second level, with its 20.00 fee; the level filter narrows to it.
    await typeDate(page, 'dunning-date', day(40), 'en-GB');
    await page.getByTestId('dunning-level').selectOption('2');
    await page.getByTestId('dunning-preview').click();
    await expectCount(page.getByTestId('dunning-plan-row'), 2);
    await expectText(page.getByTestId('dunning-totals'), /Level 2 · 2 reminder\(s\): .* \+ CHF\s40\.00 fees/);
    shots.push(await s.shot('second-level-light'));
    await page.getByTestId('dunning-level').selectOption('3');
    await page.getByTestId('dunning-preview').click();
    await page.getByTestId('dunning-nothing').waitFor();

    // The bakery's levels, in its billing settings: a second level of 15.00 instead of 20.00.
    await page.goto(`${s.host.url}#/org/${w.bakery}`);
    await page.getByTestId('reminder-levels').scrollIntoViewIfNeeded();
    await page.getByTestId('reminder-fee-2').fill('15.00');
    await page.getByTestId('reminder-levels-save').click();
    await expectText(page.locator('.toast, [role="status"]').last(), 'Reminder levels saved');
    const levels = await s.kontor.router.invoke('reminders.levels', { organizationId: w.bakery });
    expect(levels.ok && levels.value).toMatchObject({
      source: 'own',
      levels: [
        { daysAfterDue: 10, feeMinor: 0 },
        { daysAfterDue: 25, feeMinor: 1_500 },
        { daysAfterDue: 40, feeMinor: 3_000 },
      ],
    });
    // A day that is not one: the field says so, and nothing can be saved.
    await page.getByTestId('reminder-days-3').fill('0');
    // The field is checked as it changes: wait for the render that follows the fill.
    await expect
      .poll(() => page.getByTestId('reminder-levels-save').isDisabled(), { timeout: 10_000, interval: 100 })
      .toBe(true);
    // The organization changed elsewhere meanwhile (its renewal reminders, by the router as a
    // sync would): the card shows it and keeps what was typed. It was keyed on the
    // organization's updatedAt, and mounted anew — a loaded machine lost the typed day after a
    // save, when the organization came back late.
    await s.kontor.router.invoke('organizations.update', { id: w.bakery, renewalReminderDays: 21 });
    await page.getByText('21 days before').waitFor();
    await expect.poll(() => page.getByTestId('reminder-days-3').inputValue()).toBe('0');
    expect(await page.getByTestId('reminder-levels-save').isDisabled()).toBe(true);
    shots.push(await s.shot('levels-light'));

    // Dark, then French.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${s.host.url}#/dunning`);
    await page.getByTestId('dunning-preview').click();
    await expectCount(page.getByTestId('dunning-sent-row'), 2);
    shots.push(await s.shot('reminders-dark'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => localStorage.setItem('kontor.language', 'fr'));
    await page.reload();
    await expectText(page.locator('.page-title'), 'Rappels de paiement');
    await page.getByTestId('dunning-preview').click();
    await expectText(page.getByTestId('dunning-nothing'), 'Aucune facture');
    await expectCount(page.getByTestId('dunning-sent-row'), 2);
    await expectText(page.getByTestId('dunning-sent-totals'), 'Niveau 1 · 2 rappel(s)');
    shots.push(await s.shot('reminders-fr'));
    for (const f of shots) expect(fs.statSync(f).size).toBeGreaterThan(10_000);
  });
});
