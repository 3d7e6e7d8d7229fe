import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { ARTIFACTS, expectCount, expectText, type Session, startSession } from './harness';
import { caller } from './seed';

// Issue 14, the accountant's day after the invoice is issued: find it with the one search
// (Ctrl+K) by the customer's name typed without its accents and by its amount typed the Swiss
// way (2'527.77); Enter opens it; the organization's money shows it open; record the payment;
// the home dashboard shows nothing open. Screenshots in light and dark land in
// test-results/e2e/search/.

interface World {
  kaserei: string;
  invoiceId: string;
  number: string;
}

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  const firm = await call<{ id: string }>('organizations.create', {
    kind: 'company', name: 'Kontor Treuhand AG', country: 'CH', currency: 'CHF', uid: 'CHE-116.281.710', iban: 'CH93 0076 2011 6238 5295 7',
  });
  await call('addresses.create', { organizationId: firm.id, label: 'Sitz', recipient: 'Kontor Treuhand AG', line1: 'Bahnhofstrasse 1', postalCode: '8001', city: 'Zürich', country: 'CH' });
  await call('settings.setProvider', { organizationId: firm.id });
  w.kaserei = (await call<{ id: string }>('organizations.create', { kind: 'company', name: 'Käserei Müller AG', country: 'CH', currency: 'CHF', uid: 'CHE-109.322.551' })).id;
  await call('addresses.create', { organizationId: w.kaserei, label: 'Sitz', recipient: 'Käserei Müller AG', line1: 'Dorfstrasse 3', postalCode: '3000', city: 'Bern', country: 'CH' });
  await call('organizations.create', { kind: 'company', name: 'Éditions Lémaniques SA', country: 'CH', currency: 'CHF' });
  const draft = await call<{ id: string }>('invoices.create', {
    organizationId: w.kaserei,
    lines: [{ description: 'Buchhaltung 2026', quantityMilli: 1000, unitPriceMinor: 233_836 }],
  });
  const issued = await call<{ id: string; number: string; grossMinor: number }>('invoices.issue', { id: draft.id });
  if (issued.grossMinor !== 252_777) throw new Error(`gross ${issued.grossMinor}`);
  w.invoiceId = issued.id;
  w.number = issued.number;
}

describe('the one search finds the invoice by customer and by amount', () => {
  let s: Session;
  const w = {} as World;

  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, 'search'), { recursive: true, force: true });
    s = await startSession('search', { locale: 'de-CH', seed: (kontor) => seed(kontor, w) });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function walk(theme: 'light' | 'dark') {
    const { page } = s;
    await page.goto(`${s.host.url}#/organizations`);
    await page.getByTestId('open-search').waitFor();

    // Ctrl+K opens it from anywhere; the customer's name without its accents finds the
    // organization and its invoice, grouped.
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').waitFor();
    await page.keyboard.type('kaserei muller');
    await expectCount(page.getByTestId('search-hit-organization'), 1);
    await expectText(page.getByTestId('search-hit-organization'), 'Käserei Müller AG');
    await expectCount(page.getByTestId('search-hit-invoice'), 1);
    await expectText(page.getByTestId('search-hit-invoice'), w.number);
    await s.shot(`${theme}-by-customer`);
    // Enter opens the highlighted (first) hit: the organization, whose overview shows its
    // money: the invoice open (light pass), paid (dark pass, after the payment below).
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/org/${id}`, w.kaserei);
    await expectCount(page.getByTestId('search-palette'), 0);
    await page.getByTestId('money-at-a-glance').waitFor();
    await expectText(page.getByTestId('money-open-CHF'), theme === 'light' ? "2'527.77" : '0.00');
    await s.shot(`${theme}-organization-money`);

    // "/" outside a field opens it too; the amount typed the Swiss way finds the invoice only.
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    await page.keyboard.press('/');
    await page.getByTestId('search-input').waitFor();
    await page.keyboard.type("2'527.77");
    await expectCount(page.getByTestId('search-hit-invoice'), 1);
    await expectCount(page.getByTestId('search-hit-organization'), 0);
    await s.shot(`${theme}-by-amount`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.endsWith(`/invoices/${id}`), w.invoiceId);
    if (theme === 'light') {
      // Record the payment of the whole amount; the home dashboard then shows nothing open.
      await page.getByTestId('invoice-record-payment').click();
      await page.getByTestId('payment-submit').click();
      await page.getByTestId('payment-done').click();
      await expectText(page.getByTestId('invoice-status'), /bezahlt/i);
      await page.goto(`${s.host.url}#/organizations`);
      await page.getByTestId('money-at-a-glance').waitFor();
      await expectText(page.getByTestId('money-open-CHF'), '0.00');
      await s.shot(`${theme}-home-money-paid`);
    }

    // In the invoice list a click anywhere on the row opens it, not only on its number.
    await page.goto(`${s.host.url}#/org/${w.kaserei}/invoices`);
    await expectCount(page.getByTestId('invoice-row'), 1);
    await page.getByTestId('invoice-row-status').click();
    await page.waitForFunction((id) => location.hash.endsWith(`/invoices/${id}`), w.invoiceId);

    // Nothing found says so; Escape closes.
    await page.getByTestId('open-search').click();
    await page.keyboard.type('zzzz');
    await page.getByTestId('search-empty').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('search-palette'), 0);
  }

  it('by the name without accents and by 2’527.77, Enter opens, in light and dark', async () => {
    await walk('light');
    await s.page.evaluate(() => localStorage.setItem('kontor.theme', 'dark'));
    await s.page.reload();
    await walk('dark');
    expect(fs.readdirSync(path.join(ARTIFACTS, 'search')).length).toBeGreaterThanOrEqual(4);
  });
});
