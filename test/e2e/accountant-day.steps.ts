// The steps of an accountant's day (issue 14), one after the other on one fresh database, as
// accountant-day.test.ts runs them in every combination of screen size, theme and locale. A
// later part of the day (search, dashboard, e-mail) adds its steps to DAY_STEPS where they
// belong; each step reads and writes the shared `day` state and keeps its screenshots.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { TestSmtp } from '../helpers/smtp';
import { BILLING_EMAIL, MAIL_STEP } from './accountant-day.mail';
import { expectCount, expectText, type Session, typeDate } from './harness';

export interface DayState {
  firmName: string;
  customerName: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  grossText: string;
}

export interface DayContext {
  s: Session;
  /** The UI language the browser asks for ('de-CH' → German). */
  locale: string;
  day: DayState;
  /** The firm's SMTP server, on loopback, started by the test. */
  smtp: TestSmtp;
}

export interface DayStep {
  name: string;
  run(ctx: DayContext): Promise<void>;
}

const FIRM = {
  name: 'Treuhand Muster GmbH',
  taxId: 'CHE-116.281.710',
  iban: 'CH93 0076 2011 6238 5295 7',
  qrIban: 'CH44 3199 9123 0008 8901 2',
  footer: 'Handelsregister Zürich CH-020.4.012.345-6',
};

/** No horizontal scroll: the page fits the window's width (issue 14, layout at 1024×700). */
export async function expectNoHorizontalScroll(s: Session): Promise<void> {
  const overflow = await s.page.evaluate(() => {
    const main = document.getElementById('main');
    return {
      doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      main: main ? main.scrollWidth - main.clientWidth : 0,
    };
  });
  expect(overflow.doc, 'the document scrolls sideways').toBeLessThanOrEqual(0);
  expect(overflow.main, 'the main area scrolls sideways').toBeLessThanOrEqual(0);
}

export const DAY_STEPS: DayStep[] = [
  {
    name: 'first screen offers the firm set-up and demo data',
    async run({ s }) {
      await s.page.goto(`${s.host.url}#/organizations`);
      await s.page.getByTestId('org-empty').waitFor();
      await s.page.getByTestId('first-run-demo').waitFor();
      await s.shot('welcome');
      await s.page.getByTestId('first-run-firm').click();
      await s.page.getByTestId('firm-form').waitFor();
    },
  },
  {
    name: 'firm set-up refuses a wrong IBAN on its field, then saves',
    async run({ s, day }) {
      const { page } = s;
      day.firmName = FIRM.name;
      await page.getByTestId('firm-name').fill(FIRM.name);
      await page.getByTestId('firm-country').selectOption('CH');
      await page.getByTestId('firm-taxId').fill(FIRM.taxId);
      await page.getByTestId('firm-street').fill('Bahnhofstrasse');
      await page.getByTestId('firm-buildingNumber').fill('10');
      await page.getByTestId('firm-postalCode').fill('8001');
      await page.getByTestId('firm-city').fill('Zürich');
      await page.getByTestId('firm-iban').fill('CH93 0076 2011 6238 5295 8');
      await page.getByTestId('firm-save').click();
      await expectCount(page.locator('[data-testid="firm-iban"][aria-invalid="true"]'), 1);
      await s.shot('firm-iban-refused');
      await page.getByTestId('firm-iban').fill(FIRM.iban);
      await page.getByTestId('firm-qrIban').fill(FIRM.qrIban);
      await page.getByTestId('firm-invoiceFooter').fill(FIRM.footer);
      // Every document language is offered, Italian too (it was missing from the list).
      const languages = await page
        .getByTestId('firm-documentLocale')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(languages).toEqual(['en', 'fr', 'de', 'it']);
      await s.shot('firm-filled');
      await page.getByTestId('firm-save').click();
      // Saved: the organizations list, with the firm in it and nothing left to set up.
      await page.locator(`[data-testid="org-row"][data-org-name="${FIRM.name}"]`).waitFor();
      await expectCount(page.getByTestId('firm-banner'), 0);
      const stored = await s.kontor.router.invoke('firm.get', {});
      expect(stored).toMatchObject({ ok: true, value: { gaps: [] } });
    },
  },
  {
    name: 'first organization, with its billing address',
    async run({ s, day }) {
      const { page } = s;
      day.customerName = 'Käserei Müller GmbH';
      await page.getByTestId('org-create').click();
      await page.getByTestId('org-form-name').fill(day.customerName);
      await page.getByTestId('org-form-country').selectOption('CH');
      await page.getByTestId('org-form-submit').click();
      await page.waitForURL(/#\/org\/[^/]+$/);
      day.customerId = decodeURIComponent(page.url().split('#/org/')[1] ?? '');
      await page.goto(`${s.host.url}#/org/${day.customerId}/addresses`);
      await page.getByTestId('address-add').click();
      await page.getByTestId('address-form-label').fill('Sitz');
      await page.getByTestId('address-form-recipient').fill(day.customerName);
      await page.getByTestId('address-form-line1').fill('Dorfstrasse');
      await page.getByTestId('address-form-building-number').fill('5');
      await page.getByTestId('address-form-postal').fill('8004');
      await page.getByTestId('address-form-city').fill('Zürich');
      await page.getByTestId('address-form-email').fill(BILLING_EMAIL);
      await page.getByTestId('address-form-submit').click();
      await expectCount(page.getByTestId('address-card'), 1);
      await s.shot('customer-address');
    },
  },
  {
    name: 'an invoice with three lines is saved as it is typed; nothing is stored before',
    async run({ s, day }) {
      const { page } = s;
      await page.goto(`${s.host.url}#/org/${day.customerId}/invoices`);
      await page.getByTestId('invoice-create').first().click();
      await page.getByTestId('invoice-editor').waitFor();
      expect(page.url()).toContain('/invoices/new/invoice');
      const stored = () => s.kontor.router.invoke('invoices.list', { organizationIds: [day.customerId] });
      expect(await stored()).toMatchObject({ ok: true, value: { rows: [] } });
      const lines: [string, string, string][] = [
        ['Buchhaltung 2026', '1', '1200.00'],
        ['Jahresabschluss', '2', '450.00'],
        ['MWST-Abrechnung', '3', '80.00'],
      ];
      for (const [i, [description, quantity, price]] of lines.entries()) {
        await page.getByTestId('invoice-line-add').click();
        await page.getByTestId('invoice-line-description').nth(i).fill(description);
        await page.getByTestId('invoice-line-quantity').nth(i).fill(quantity);
        await page.getByTestId('invoice-line-price').nth(i).fill(price);
      }
      await expectText(page.getByTestId('invoice-autosave'), /./);
      await page
        .locator('[data-testid="invoice-autosave"][data-status="saved"]')
        .waitFor({ timeout: 15_000 });
      // Stored at its first edit, under its own address now.
      await page.waitForURL(/#\/org\/[^/]+\/invoices\/(?!new)[^/]+$/);
      day.invoiceId = decodeURIComponent(page.url().split('/invoices/')[1] ?? '');
      await s.shot('three-lines-saved');
      await expectNoHorizontalScroll(s);
      // Nothing of a line is out of sight, at 1024 px too: its amount and its delete button show.
      const sideways = await page.evaluate(() => {
        const box = document.querySelector('.inv-lines');
        return box ? box.scrollWidth - box.clientWidth : -1;
      });
      expect(sideways, 'the lines scroll sideways').toBeLessThanOrEqual(0);
      const remove = await page.getByTestId('invoice-line-remove').first().boundingBox();
      const viewport = page.viewportSize();
      expect(remove && viewport && remove.x + remove.width <= viewport.width).toBe(true);
    },
  },
  {
    name: 'away and back: the lines are there, and no empty draft was left',
    async run({ s, day }) {
      const { page } = s;
      await page.getByTestId('invoice-back').click();
      await page.getByTestId('invoice-row').first().waitFor();
      await expectCount(page.getByTestId('invoice-row'), 1);
      // A "New invoice" opened and left untouched stores nothing.
      await page.getByTestId('invoice-create').first().click();
      await page.getByTestId('invoice-editor').waitFor();
      await page.getByTestId('invoice-back').click();
      await expectCount(page.getByTestId('invoice-row'), 1);
      await page.goto(`${s.host.url}#/org/${day.customerId}/invoices/${day.invoiceId}`);
      await expectCount(page.getByTestId('invoice-line'), 3);
      await expect(page.getByTestId('invoice-line-description').nth(2).inputValue()).resolves.toBe(
        'MWST-Abrechnung',
      );
      await s.shot('back-with-lines');
    },
  },
  {
    name: 'issue, then the PDF with its QR-bill in the customer’s language',
    async run({ s, day }) {
      const { page } = s;
      await page.getByTestId('invoice-issue').click();
      await page.getByTestId('confirm-ok').click();
      await expectText(page.getByTestId('invoice-number'), /^INV-/);
      day.invoiceNumber = ((await page.getByTestId('invoice-number').first().textContent()) ?? '').trim();
      // Every action of the issued invoice is in sight (at 1024 px the last one was cut at the edge).
      const cut = await page.evaluate(() => {
        const edge = document.querySelector('.page-header')?.getBoundingClientRect().right ?? 0;
        return [...document.querySelectorAll('.page-actions button')]
          .filter((b) => b.getBoundingClientRect().right > edge + 0.5)
          .map((b) => b.textContent);
      });
      expect(cut).toEqual([]);
      // The QR reference in its printed groups (00 00202 …), not 27 digits wrapped at random.
      await expectText(page.getByTestId('invoice-payment-reference'), /^\d{2}( \d{5}){5}$/);
      await s.shot('issued');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('invoice-download-pdf').click(),
      ]);
      const file = path.join(s.dir, `${day.invoiceNumber}.pdf`);
      await download.saveAs(file);
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(day.invoiceNumber);
      expect(text).toContain(FIRM.name);
      expect(text).toContain('CHE-116.281.710');
      expect(text).toContain('Bahnhofstrasse 10');
      expect(text).toContain(FIRM.footer);
      // A Zürich customer (8004) is billed in German: the QR-bill's payment part says so.
      expect(text).toContain('Zahlteil');
      expect(text).toContain('Käserei Müller GmbH');
      // 1,200.00 + 900.00 + 240.00 = 2,340.00, + 8.1 % = 2,529.54.
      expect(text).toMatch(/2.529\.54/);
    },
  },
  MAIL_STEP,
];

DAY_STEPS.push({
  name: 'leaving an incomplete line asks; a deleted draft comes back with Undo',
  async run({ s, day }) {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${day.customerId}/invoices`);
    await page.getByTestId('invoice-create').first().click();
    await page.getByTestId('invoice-line-add').click();
    await page.getByTestId('invoice-line-description').first().fill('Beratung');
    await page.getByTestId('invoice-line-price').first().fill('');
    await page.locator('[data-testid="invoice-autosave"][data-status="invalid"]').waitFor();
    await page.getByTestId('invoice-back').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await s.shot('leave-asks');
    await page.getByTestId('confirm-cancel').click();
    await page.getByTestId('invoice-line-price').first().fill('150.00');
    await page.locator('[data-testid="invoice-autosave"][data-status="saved"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('invoice-delete-draft').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('toast-action').first().click();
    await page.waitForURL(/#\/org\/[^/]+\/invoices\/(?!new)[^/]+$/);
    await expectCount(page.getByTestId('invoice-line'), 1);
    await expect(page.getByTestId('invoice-line-description').first().inputValue()).resolves.toBe('Beratung');
    await s.shot('draft-undone');
  },
});

DAY_STEPS.push({
  name: 'partner pages with nobody acting say so inside the page, not flush in its corner',
  async run({ s }) {
    const { page } = s;
    await page.goto(`${s.host.url}#/partner/clients`);
    const empty = page.getByTestId('acting-required');
    await empty.waitFor();
    const main = await page.locator('#main').boundingBox();
    const box = await empty.boundingBox();
    expect(main && box).toBeTruthy();
    if (main && box) {
      expect(box.x - main.x, 'left margin').toBeGreaterThanOrEqual(16);
      expect(box.y - main.y, 'top margin').toBeGreaterThanOrEqual(16);
    }
    await s.shot('partner-nobody-acting');
  },
});

DAY_STEPS.push({
  name: 'the customer’s activity reads in words: no ids, field codes or JSON outside “details”',
  async run({ s, day }) {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${day.customerId}/activity`);
    await page.getByTestId('activity-row').first().waitFor();
    const texts = await page.$$eval('[data-testid="activity-row"]', (rows) =>
      rows.map((row) => {
        const copy = row.cloneNode(true) as HTMLElement;
        for (const d of copy.querySelectorAll('details')) d.remove();
        return copy.textContent ?? '';
      }),
    );
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) {
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
      expect(text).not.toContain('{');
      expect(text).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*Minor\b|\bbillTo\b|\bpartially_paid\b/);
    }
    // The invoice's number, cut for room, keeps its distinguishing end in sight.
    const tails = await page.$$eval(
      `[data-testid="activity-subject"] .mid-ellipsis[data-full="${day.invoiceNumber}"] .mid-ellipsis-tail`,
      (spans) =>
        spans.map((span) => {
          const link = span.closest('a')?.getBoundingClientRect();
          const box = span.getBoundingClientRect();
          return { text: span.textContent ?? '', inSight: !!link && box.right <= link.right + 0.5 };
        }),
    );
    expect(tails.length).toBeGreaterThan(0);
    for (const tail of tails) expect(tail).toEqual({ text: day.invoiceNumber.slice(-8), inSight: true });
    await s.shot('activity');
  },
});

DAY_STEPS.push({
  name: 'found by the name without accents and by the amount typed the Swiss way; paid on a day typed in the region’s format',
  async run({ s, day, locale }) {
    const { page } = s;
    await page.goto(`${s.host.url}#/organizations`);
    await page.getByTestId('open-search').waitFor();
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').waitFor();
    await page.keyboard.type('kaserei muller');
    // The draft left by the Undo step is found too; the issued invoice is among the hits.
    await page.getByTestId('search-hit-invoice').filter({ hasText: day.invoiceNumber }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    await page.keyboard.press('/');
    await page.getByTestId('search-input').waitFor();
    await page.keyboard.type("2'529.54");
    await expectCount(page.getByTestId('search-hit-invoice'), 1);
    await s.shot('found-by-amount');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.endsWith(`/invoices/${id}`), day.invoiceId);
    // Open on the home dashboard, then paid.
    await page.goto(`${s.host.url}#/organizations`);
    await expectText(page.getByTestId('money-open-CHF'), /2.529\.54/);
    await page.goto(`${s.host.url}#/org/${day.customerId}/invoices/${day.invoiceId}`);
    await page.getByTestId('invoice-record-payment').click();
    const today = new Date().toISOString().slice(0, 10);
    await typeDate(page, 'payment-date', today, locale);
    await s.shot('payment-date-typed');
    await page.getByTestId('payment-submit').click();
    await page.getByTestId('payment-done').click();
    await expectText(page.getByTestId('invoice-status'), /bezahlt|payée|paid/i);
    await page.goto(`${s.host.url}#/organizations`);
    await expectText(page.getByTestId('money-open-CHF'), /0\.00/);
    // The revenue chart starts at its card's left edge (it floated in the middle at 1440 px).
    const gap = await page.getByTestId('money-revenue-CHF').evaluate((card) => {
      const bar = card.querySelector('svg rect')?.getBoundingClientRect();
      return bar ? bar.left - card.getBoundingClientRect().left : -1;
    });
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap, 'the first month’s bar is far from the card’s left edge').toBeLessThan(40);
    // A UID stays on one line in the organizations list (at 1024 px it broke at its hyphen).
    const lineCount = (selector: string) =>
      page.$$eval(selector, (cells) =>
        cells.map((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
      );
    const uidLines = await lineCount('[data-testid="org-row"] td.mono');
    expect(uidLines.length).toBeGreaterThan(0);
    for (const lines of uidLines) expect(lines, 'a UID wraps').toBe(1);
    // …and so does a usual firm name (it went to three lines at 1024 px).
    const nameLines = await lineCount('[data-testid="org-row"] .cell-title');
    expect(nameLines).toEqual([1, 1]);
    await s.shot('home-paid');
  },
});
