import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCount, expectText, type Session, startSession } from './harness';
import { caller } from './seed';

// The accountant's core path in the browser: create and issue an invoice, see an edit refused,
// pay part of it from the prepaid balance, export the filtered list to CSV, download its PDF.
// Screenshots of each step land in test-results/e2e/invoices/.
describe('an invoice from draft to partly paid, exported and downloaded', () => {
  let s: Session;
  let payerId = '';
  beforeAll(async () => {
    s = await startSession('invoices', {
      seed: async (kontor) => {
        const call = caller(kontor);
        const provider = await call<{ id: string }>('organizations.create', {
          kind: 'company',
          name: 'Kontor Hébergement SA',
          country: 'CH',
          currency: 'CHF',
          uid: 'CHE-116.281.710',
          iban: 'CH44 3199 9123 0008 8901 2',
        });
        await call('addresses.create', {
          organizationId: provider.id,
          label: 'Siège',
          recipient: 'Kontor Hébergement SA',
          line1: 'Rue Eugène-Marziano 25',
          postalCode: '1227',
          city: 'Les Acacias',
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
        await call('ledger.topUp', { organizationId: payer.id, amountMinor: 20_000 });
      },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('creates, issues, refuses an edit, pays partly, exports and downloads', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${payerId}/invoices`);
    await page.getByTestId('invoice-create').first().click();
    await page.getByTestId('invoice-editor').waitFor();
    const descriptions = page.getByTestId('invoice-line-description');
    if ((await descriptions.count()) === 0) await page.getByTestId('invoice-line-add').click();
    await descriptions.first().fill('Hébergement Web Pro — annuel');
    await page.getByTestId('invoice-line-quantity').first().fill('1');
    await page.getByTestId('invoice-line-price').first().fill('120.00');
    await page.getByTestId('invoice-save').click();
    await s.shot('draft');
    await page.getByTestId('invoice-issue').click();
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('invoice-number'), /^INV-[0-9A-Z]{2,6}-\d{4}-[0-9A-F]{6}-\d{6}$/);
    const number = ((await page.getByTestId('invoice-number').first().textContent()) ?? '').trim();
    // 120.00 + 8.1 % Swiss VAT = 129.72
    await expectText(page.getByTestId('invoice-gross'), '129.72');
    await s.shot('issued');

    // An issued invoice offers no "Edit…" that could only fail (issue 14): a credit note is
    // the way to correct it.
    await expectCount(page.getByTestId('invoice-edit'), 0);
    await page.getByTestId('invoice-credit-note').waitFor();
    await s.shot('corrections');

    // Pay 50.00 from the prepaid balance (200.00): partly paid, 79.72 still due.
    await page.getByTestId('invoice-pay-prepaid').click();
    await page.getByTestId('invoice-pay-amount').fill('50.00');
    await page.getByTestId('invoice-pay-submit').click();
    await expectText(page.getByTestId('invoice-status'), /partially/i);
    await expectText(page.getByTestId('invoice-amount-due'), '79.72');
    await s.shot('partly-paid');
    const stored = await s.kontor.router.invoke('invoices.getByNumber', { number });
    expect(stored).toMatchObject({
      ok: true,
      value: { status: 'partially_paid', paidMinor: 5_000, dueMinor: 7_972 },
    });

    // The PDF downloads and carries the number and the total.
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('invoice-download-pdf').click(),
    ]);
    const pdfFile = path.join(s.dir, 'invoice.pdf');
    await pdf.saveAs(pdfFile);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain(number);
    expect(text).toContain('Zürcher Treuhand GmbH');

    // "Download e-invoice": a Swiss company receives PDFs, so the richest file, Factur-X (the
    // same PDF, PDF/A-3b with its CII XML inside).
    const [einvoice] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('invoice-download-einvoice').click(),
    ]);
    const einvoiceFile = path.join(s.dir, einvoice.suggestedFilename());
    await einvoice.saveAs(einvoiceFile);
    expect(einvoice.suggestedFilename()).toBe(`${number}.pdf`);
    expect(execFileSync('pdfdetach', ['-list', einvoiceFile], { encoding: 'utf8' })).toContain(
      'factur-x.xml',
    );

    // The filtered list exports to CSV (Excel CH profile) with this invoice in it.
    await page.goto(`${s.host.url}#/org/${payerId}/invoices`);
    await page.getByTestId('invoices-filter-status').click();
    await page.getByTestId('invoices-filter-status-partially_paid').click();
    await page.keyboard.press('Escape');
    await page.locator(`[data-testid="invoice-row"][data-invoice-number="${number}"]`).waitFor();
    await page.getByTestId('invoices-export-profile').selectOption('excel-ch');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('invoices-export-csv').click(),
    ]);
    const csvFile = path.join(s.dir, 'export.csv');
    await csv.saveAs(csvFile);
    const parsed = Papa.parse<string[]>(fs.readFileSync(csvFile, 'utf8').replace(/^\ufeff/, ''), {
      delimiter: ';',
      skipEmptyLines: true,
    });
    const row = parsed.data.find((r) => r[0] === number);
    expect(row, fs.readFileSync(csvFile, 'utf8')).toBeDefined();
    expect(row?.[11]).toBe('129.72');
    expect(row?.[12]).toBe('50.00');
    expect(parsed.data).toHaveLength(2);
    await s.shot('exported');

    // Italian column headings from the page, though the app itself speaks English here (a
    // Ticino firm's accountant; before, only the API and the CLI offered them).
    const language = page.getByTestId('invoices-export-language');
    expect(await language.inputValue()).toBe('en');
    await language.selectOption({ label: 'Italiano' });
    const [italian] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('invoices-export-csv').click(),
    ]);
    const italianFile = path.join(s.dir, 'export-it.csv');
    await italian.saveAs(italianFile);
    const italianRows = Papa.parse<string[]>(fs.readFileSync(italianFile, 'utf8').replace(/^\ufeff/, ''), {
      delimiter: ';',
      skipEmptyLines: true,
    }).data;
    expect(italianRows[0]?.slice(0, 3)).toEqual(['Numero', 'Tipo', 'Stato']);
    expect(italianRows[0]).toContain('Partita IVA');
    expect(italianRows[1]).toEqual(row);
    await s.shot('exported-italian');
  });
});
