import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorsDir } from '../helpers/en16931';
import { memorySink } from '../helpers/kontor';
import { expectCount, expectText, type Session, startSession, typeDate } from './harness';

// E-invoices in the browser (issue 13): a draft's lines get their unit, VAT category and
// exemption reason; the check before issuing lists what is missing with a link to fix it and
// turns green once it is fixed; a supplier's e-invoices are imported on the Received screen
// (one refused with its rule, one already there), opened, downloaded, marked paid and
// exported. Screenshots land in test-results/e2e/einvoice/.
describe('e-invoices: line terms, the check before issuing, received documents', () => {
  let s: Session;
  let issuerId = '';
  let payerId = '';
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await s.kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  beforeAll(async () => {
    s = await startSession('einvoice', {
      seed: async (kontor) => {
        const invoke = async <T>(method: string, input: unknown) => {
          const r = await kontor.router.invoke(method, input);
          if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
          return r.value as T;
        };
        const issuer = await invoke<{ id: string }>('organizations.create', {
          kind: 'company',
          name: 'Œuvres Numériques SAS',
          country: 'FR',
          currency: 'EUR',
          vatNumber: 'FR40303265045',
          siren: '303265045',
          iban: 'FR76 3000 6000 0112 3456 7890 189',
        });
        issuerId = issuer.id;
        await invoke('addresses.create', {
          organizationId: issuer.id,
          label: 'Siège',
          recipient: 'Œuvres Numériques SAS',
          street: 'rue de la Paix',
          buildingNumber: '12',
          postalCode: '75002',
          city: 'Paris',
          country: 'FR',
        });
        await invoke('settings.setProvider', { organizationId: issuer.id });
        // A French company without its SIREN: its e-invoice would be refused.
        const payer = await invoke<{ id: string }>('organizations.create', {
          kind: 'company',
          name: 'Atelier Lyonnais SARL',
          country: 'FR',
          currency: 'EUR',
          vatNumber: 'FR83404833048',
        });
        payerId = payer.id;
        await invoke('addresses.create', {
          organizationId: payer.id,
          label: 'Siège',
          recipient: 'Atelier Lyonnais SARL',
          street: 'avenue Jean Jaurès',
          buildingNumber: '8',
          postalCode: '69007',
          city: 'Lyon',
          country: 'FR',
        });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('edits a line’s unit, VAT category and exemption reason, and shows what issuing lacks until it is fixed', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${payerId}/invoices`);
    await page.getByTestId('invoice-create').first().click();
    await page.getByTestId('invoice-editor').waitFor();
    const descriptions = page.getByTestId('invoice-line-description');
    if ((await descriptions.count()) === 0) await page.getByTestId('invoice-line-add').click();
    await descriptions.nth(0).fill('Hébergement mensuel');
    await page.getByTestId('invoice-line-quantity').nth(0).fill('12');
    await page.getByTestId('invoice-line-price').nth(0).fill('25.00');
    await page.getByTestId('invoice-line-unit').nth(0).selectOption('MON');
    await page.getByTestId('invoice-line-add').click();
    await descriptions.nth(1).fill('Formation professionnelle');
    await page.getByTestId('invoice-line-price').nth(1).fill('400.00');
    await page.getByTestId('invoice-line-vat').nth(1).selectOption('0');
    await page.getByTestId('invoice-line-category').nth(1).selectOption('E');
    // An exempt line without its reason is refused on the screen, before the API.
    await page.getByTestId('invoice-save').click();
    await expectText(page.locator('.inv-line-errors'), 'exemption reason');
    await page.getByTestId('invoice-line-reason').nth(0).fill('Article 261-4-4° du CGI');
    await page.getByTestId('invoice-save').click();
    await expectText(page.getByTestId('issue-check-problems'), 'SIREN');
    await s.shot('line-terms-and-check');

    // Saved through the API as typed.
    const drafts = await call<{ rows: { id: string }[] }>('invoices.list', { organizationId: payerId });
    const draft = await call<{
      lines: { unitCode: string; vatCategory: string; exemptionReason: string | null }[];
    }>('invoices.get', { id: drafts.rows[0]?.id });
    expect(draft.lines.map((l) => [l.unitCode, l.vatCategory, l.exemptionReason])).toEqual([
      ['MON', 'S', null],
      ['C62', 'E', 'Article 261-4-4° du CGI'],
    ]);

    // The problem links to the customer, where the SIREN is entered.
    const problem = page.getByTestId('issue-check-problem').filter({ hasText: 'SIREN' });
    await expectCount(problem, 1);
    const fix = problem.getByTestId('issue-check-fix');
    expect(await fix.getAttribute('href')).toBe(`#/org/${payerId}`);
    // Issuing now is stopped on the screen with the same list, and no number is used.
    await page.getByTestId('invoice-issue').click();
    await expectText(page.getByTestId('issue-check-compact'), 'SIREN');
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('confirm-error'), 'Before issuing');
    await s.shot('issue-stopped');
    await page.getByTestId('confirm-cancel').click();
    await fix.click();
    await page.waitForURL(new RegExp(`#/org/${payerId}$`));
    await call('organizations.update', { id: payerId, siren: '404833048' });
    await page.goBack();
    await page.getByTestId('issue-check-ok').waitFor({ timeout: 15_000 });
    await s.shot('check-ok');
    await page.getByTestId('invoice-issue').click();
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('invoice-number'), /^INV-/);
    const number = ((await page.getByTestId('invoice-number').first().textContent()) ?? '').trim();

    // The customer receives it: its Factur-X PDF imported on its own Received screen.
    const sink = memorySink();
    const streamed = await s.kontor.router.stream(
      'invoices.einvoice',
      { number, format: 'factur-x' },
      { locale: 'en', door: 'local' },
      sink,
    );
    expect(streamed.ok).toBe(true);
    const pdf = path.join(s.dir, `${number}.pdf`);
    fs.writeFileSync(pdf, sink.bytes());
    await page.goto(`${s.host.url}#/org/${payerId}/received`);
    await page.getByTestId('received-file-input').setInputFiles([pdf]);
    await expectCount(page.locator('[data-testid="received-outcome"][data-status="imported"]'), 1, 30_000);
    await page.getByTestId('received-row').first().getByRole('link').first().click();
    await expectText(page.getByTestId('received-seller'), 'Œuvres Numériques SAS');
    await expectText(page.getByTestId('received-total-payable'), '760.00');
    await expectCount(page.getByTestId('received-line'), 2);
    await s.shot('received-factur-x');
    const [original] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('received-download-original').click(),
    ]);
    expect(fs.readFileSync((await original.path()) as string)).toEqual(sink.bytes());
  }, 120_000);

  it('imports suppliers’ e-invoices on the Received screen, opens one, marks it paid and exports', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${issuerId}/received`);
    await page.getByTestId('received-empty').waitFor();
    await s.shot('received-empty');
    const examples = path.join(validatorsDir(), 'examples');
    const tampered = path.join(s.dir, 'tampered.xml');
    fs.writeFileSync(
      tampered,
      fs.readFileSync(path.join(examples, 'UBL_example1.xml'), 'utf8').replace('>250.33<', '>250.34<'),
    );
    await page
      .getByTestId('received-file-input')
      .setInputFiles([
        path.join(examples, 'CII_example1.xml'),
        path.join(examples, 'UBL_example1.xml'),
        tampered,
      ]);
    await expectCount(page.getByTestId('received-outcome'), 3, 30_000);
    expect(
      await page
        .getByTestId('received-outcome')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
    ).toEqual(['imported', 'duplicate', 'refused']);
    await expectText(page.locator('[data-status="refused"]'), 'BR-CO-15');
    await expectCount(page.getByTestId('received-row'), 1);
    await s.shot('received-imported');

    await page.getByTestId('received-row').first().getByRole('link').first().click();
    await expectText(page.getByTestId('received-seller'), 'De Koksmaat');
    await expectCount(page.getByTestId('received-line'), 20);
    await expectText(page.getByTestId('received-total-payable'), '250.33');
    await s.shot('received-document');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('received-download-xml').click(),
    ]);
    const xml = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(xml).toContain('CrossIndustryInvoice');
    await typeDate(page, 'received-paid-on', '2026-03-14', 'en-GB');
    await page.getByTestId('received-mark-paid').click();
    await page.getByTestId('received-paid-badge').waitFor();
    await s.shot('received-paid');

    await page.getByTestId('received-back').click();
    await page.getByTestId('received-profile').selectOption('excel-fr');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('received-export-csv').click(),
    ]);
    const text = fs.readFileSync((await csv.path()) as string, 'utf8');
    expect(text).toContain('250,33');
    expect(text).toContain('De Koksmaat');
  }, 120_000);
});
