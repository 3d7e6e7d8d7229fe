import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { csvImportFilter, readWithLibreOffice } from '../helpers/libreoffice';
import { ARTIFACTS, expectCount, expectText, type Session, startSession, typeDate } from './harness';
import { caller } from './seed';

// The partner program in the browser, as its two sides use it: the partner's legal
// representative invites a client; the client's accepts with limited access on two of its
// three products; the partner sees exactly those two; the client switches to complete access
// paid by the partner (the partner is notified); the partner exports its clients' invoices for
// a period, and LibreOffice reads exactly the invoice it paid in that period. Screenshots of
// each step, light and dark, land in test-results/e2e/partners/.

const PERIOD = { from: '2025-10-01', to: '2025-10-31' };

interface World {
  partnerId: string;
  clientId: string;
  paulId: string;
  claireId: string;
  productNames: string[];
  /** Paid by the partner for the client's products, issued in the period: the one row expected. */
  inPeriod: string;
  /** Paid by the partner too, but issued before the period. */
  beforePeriod: string;
  /** Paid by the client itself: it lives with the client and the partner never sees it. */
  clientPaid: string;
}

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  const org = async (name: string, street: string, city: string, postalCode: string, extra: object = {}) => {
    const o = await call<{ id: string }>('organizations.create', {
      kind: 'company',
      name,
      country: 'CH',
      currency: 'CHF',
      ...extra,
    });
    await call('addresses.create', {
      organizationId: o.id,
      label: 'Siège',
      recipient: name,
      line1: street,
      postalCode,
      city,
      country: 'CH',
    });
    return o.id;
  };
  const provider = await org('Kontor Hébergement SA', 'Rue Eugène-Marziano 25', 'Les Acacias', '1227', {
    uid: 'CHE-116.281.710',
    iban: 'CH44 3199 9123 0008 8901 2',
  });
  await call('settings.setProvider', { organizationId: provider });
  w.partnerId = await org('Agence Web Léman SA', 'Avenue de la Gare 10', 'Lausanne', '1003');
  w.clientId = await org('Boulangerie Dupont Sàrl', 'Rue du Bourg 4', 'Vevey', '1800');
  const paul = await call<{ personId: string }>('members.add', {
    organizationId: w.partnerId,
    email: 'paul@leman-web.ch',
    name: 'Paul Rochat',
    role: 'legal_representative',
  });
  const claire = await call<{ personId: string }>('members.add', {
    organizationId: w.clientId,
    email: 'claire@boulangerie-dupont.ch',
    name: 'Claire Dupont',
    role: 'legal_representative',
  });
  w.paulId = paul.personId;
  w.claireId = claire.personId;
  w.productNames = ['boulangerie-dupont.ch', 'Mail Pro Dupont', 'dupont-vevey.ch'];
  const kinds = ['web_hosting', 'mail_hosting', 'domain'] as const;
  for (const [i, name] of w.productNames.entries()) {
    await call('products.create', {
      organizationId: w.clientId,
      kind: kinds[i],
      name,
      publicPriceMinor: [992, 450, 1_800][i],
      billingFrequency: i === 2 ? 'annual' : 'monthly',
      nextRenewalOn: '2027-01-01',
    });
  }
  // Issued in date order: one numbering series, no gaps.
  const issue = async (
    organizationId: string,
    issuedOn: string,
    description: string,
    unitPriceMinor: number,
  ) => {
    const draft = await call<{ id: string }>('invoices.create', {
      organizationId,
      productsOrganizationId: w.clientId,
      lines: [{ description, quantityMilli: 1000, unitPriceMinor }],
    });
    return (await call<{ number: string }>('invoices.issue', { id: draft.id, issuedOn })).number;
  };
  w.beforePeriod = await issue(w.partnerId, '2025-09-20', 'Hébergement Web — septembre', 9_920);
  w.clientPaid = await issue(w.clientId, '2025-10-10', 'Nom de domaine — annuel', 1_800);
  w.inPeriod = await issue(w.partnerId, '2025-10-15', 'Hébergement Web Pro — octobre', 12_000);
}

describe('partner program: invite, limited access, complete access paid by the partner, export', () => {
  let s: Session;
  const w = {} as World;

  beforeAll(async () => {
    // Screenshots are numbered by step: an earlier run's must not mix with this one's.
    fs.rmSync(path.join(ARTIFACTS, 'partners'), { recursive: true, force: true });
    s = await startSession('partners', { seed: (kontor) => seed(kontor, w) });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Chooses who sits at the screen; each of them belongs to one organization, chosen with them. */
  async function actAs(personId: string, organization: string) {
    const { page } = s;
    await page.getByTestId('acting-button').click();
    await page.getByTestId('acting-person').selectOption(personId);
    await expectText(page.getByTestId('acting-org-name'), organization);
    await page.keyboard.press('Escape');
  }

  it('runs the whole path in the browser', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/partner/clients`);
    await page.getByTestId('acting-required').waitFor();

    // The partner's legal representative invites the client, asking for limited access.
    await actAs(w.paulId, 'Agence Web Léman SA');
    await page.getByTestId('partner-clients-empty').waitFor();
    await page.getByTestId('partner-invite-open').click();
    // An e-mail nobody here answers to: refused with a translated reason, nothing sent.
    await page.getByTestId('partner-invite-by-email').check();
    await page.getByTestId('partner-invite-email').fill('personne@example.ch');
    await page.getByTestId('partner-invite-submit').click();
    await expectText(
      page.getByTestId('partner-invite-error'),
      'No legal representative with the e-mail personne@example.ch',
    );
    await s.shot('invite-unknown-email');
    await page.getByTestId('partner-invite-by-organization').check();
    await page.getByTestId('partner-invite-client').selectOption({ label: 'Boulangerie Dupont Sàrl' });
    await page.getByTestId('partner-invite-access-limited').check();
    await s.shot('invite-dialog');
    await page.getByTestId('partner-invite-submit').click();
    await expectCount(page.getByTestId('partner-pending-row'), 1);
    await s.shot('invitation-pending');

    // The client's legal representative accepts, on two of its three products.
    await actAs(w.claireId, 'Boulangerie Dupont Sàrl');
    await page.getByTestId('nav-my-partners').click();
    await page.getByTestId('partner-incoming').waitFor();
    await s.shot('client-invited');
    await page.getByTestId('partner-incoming-accept').click();
    await page.getByTestId('partner-arrangement-access-limited').check();
    for (const name of w.productNames.slice(0, 2)) {
      await page
        .locator(`[data-testid="partner-arrangement-products-option"][data-product-name="${name}"]`)
        .click();
    }
    await expectText(page.getByTestId('partner-arrangement-picked-count'), '2');
    await s.shot('accept-limited-two-products');
    await page.getByTestId('partner-arrangement-submit').click();
    await page.getByTestId('partner-arrangement-dialog').locator('form').waitFor({ state: 'detached' });
    await expectText(page.getByTestId('partner-mine-row'), 'Limited access');
    await expectText(page.getByTestId('partner-mine-row'), '2 products');

    // The partner sees exactly those two products.
    await actAs(w.paulId, 'Agence Web Léman SA');
    await page.getByTestId('nav-partner-clients').click();
    await page
      .locator('[data-testid="partner-client-row"][data-client-name="Boulangerie Dupont Sàrl"]')
      .waitFor();
    await page.getByTestId('partner-client-link').click();
    await expectText(page.getByTestId('partner-client-name'), 'Boulangerie Dupont Sàrl');
    await expectCount(page.getByTestId('partner-product-row'), 2);
    const shown = await page
      .getByTestId('partner-product-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product-name')));
    expect(shown.sort()).toEqual(w.productNames.slice(0, 2).sort());
    // The invoices it may see are the ones it pays (it did before: they live with it), never
    // the one the client paid itself.
    await expectCount(page.getByTestId('partner-invoice-row'), 2);
    await expectCount(
      page.locator(`[data-testid="partner-invoice-row"][data-invoice-number="${w.clientPaid}"]`),
      0,
    );
    await s.shot('partner-sees-two-products');

    // The client switches to complete access, paid by the partner.
    await actAs(w.claireId, 'Boulangerie Dupont Sàrl');
    await page.getByTestId('nav-my-partners').click();
    await page.getByTestId('partner-change-open').click();
    await page.getByTestId('partner-arrangement-access-complete').check();
    await page.getByTestId('partner-arrangement-payment-partner').check();
    await s.shot('change-to-complete-paid-by-partner');
    await page.getByTestId('partner-arrangement-submit').click();
    await expectText(page.getByTestId('partner-mine-row'), 'Complete access');
    await expectText(page.getByTestId('partner-mine-row'), 'Paid by the partner');
    const stored = await s.kontor.router.invoke('partners.list', {
      organizationId: w.clientId,
      role: 'client',
    });
    expect(stored).toMatchObject({
      ok: true,
      value: [{ status: 'active', access: 'complete', payment: 'partner' }],
    });

    // Cashback the partner earned this month, for the dashboard's chart (a money record, not a screen).
    const partnership = stored.ok ? (stored.value as { id: string }[])[0]!.id : '';
    // The firm books cashback (common/authority): the call is made with nobody acting, then
    // the person chosen on screen acts again.
    const settings = await s.kontor.router.invoke('settings.get', {});
    const actingPersonId = settings.ok ? (settings.value as { actingPersonId: string | null }).actingPersonId : null;
    await s.kontor.router.invoke('settings.setActingPerson', { personId: null });
    const credited = await s.kontor.router.invoke('partners.creditCashback', {
      partnershipId: partnership,
      orderedBy: 'client',
      productKind: 'web_hosting',
      quantity: 3,
    });
    await s.kontor.router.invoke('settings.setActingPerson', { personId: actingPersonId });
    expect(credited.ok).toBe(true);

    // The partner is told, sees every product now and the invoices it pays.
    await actAs(w.paulId, 'Agence Web Léman SA');
    await page.getByTestId('nav-partner-clients').click();
    await expectCount(page.getByTestId('partner-notice'), 1);
    await expectText(page.getByTestId('partner-notice'), 'Complete access · Paid by the partner');
    await expectText(page.locator('[data-testid="partner-client-row"]'), 'Paid by the partner');
    await s.shot('partner-notified');
    // The filters narrow the clients by their arrangement: limited access finds none now.
    await page.getByTestId('partner-clients-filter-access').selectOption('limited');
    await page.getByTestId('partner-clients-empty').waitFor();
    await expectCount(page.getByTestId('partner-client-row'), 0);
    await page.getByTestId('partner-clients-filter-access').selectOption('complete');
    await page.getByTestId('partner-clients-filter-payment').selectOption('partner');
    await expectCount(page.getByTestId('partner-client-row'), 1);
    await page.getByTestId('partner-clients-filter-access').selectOption('');
    await page.getByTestId('partner-clients-filter-payment').selectOption('');
    await page.getByTestId('partner-notices-seen').click();
    await expectCount(page.getByTestId('partner-notice'), 0);
    await page.getByTestId('partner-client-link').click();
    await expectCount(page.getByTestId('partner-product-row'), 3);
    await expectCount(page.getByTestId('partner-invoice-row'), 2);
    await s.shot('partner-client-detail-complete');

    // Export the clients' invoices for the period: CSV (Excel CH profile), then XLSX.
    await page.getByTestId('nav-partner-clients').click();
    await page.getByTestId('partner-export-open').click();
    await typeDate(page, 'partner-export-from', PERIOD.from, 'en-GB');
    await typeDate(page, 'partner-export-to', PERIOD.to, 'en-GB');
    await page.getByTestId('partner-export-format-csv').check();
    await page.getByTestId('partner-export-profile').selectOption('excel-ch');
    await page.getByTestId('partner-export-history-invoices').check();
    await s.shot('export-dialog');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('partner-export-submit').click(),
    ]);
    const csvFile = path.join(s.dir, 'clients.csv');
    await csv.saveAs(csvFile);
    const csvRows = await readWithLibreOffice(csvFile, csvImportFilter('excel-ch'));
    expectOnlyTheInvoicePaidInPeriod(csvRows, fs.readFileSync(csvFile, 'utf8'));

    await page.getByTestId('partner-export-format-xlsx').check();
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('partner-export-submit').click(),
    ]);
    const xlsxFile = path.join(s.dir, 'clients.xlsx');
    await xlsx.saveAs(xlsxFile);
    const xlsxRows = await readWithLibreOffice(xlsxFile);
    expectOnlyTheInvoicePaidInPeriod(xlsxRows, JSON.stringify(xlsxRows));
    await page.getByTestId('dialog-close').click();

    // The dashboard: volume against the dealer threshold and this year's cashback per month.
    await page.getByTestId('nav-partner-dashboard').click();
    await page.getByTestId('cashback-chart').waitFor();
    const month = new Date().getUTCMonth() + 1;
    const bar = page.locator(`[data-testid="cashback-bar"][data-month="${month}"]`);
    expect(Number(await bar.getAttribute('data-amount-minor'))).toBeGreaterThan(0);
    await s.shot('dashboard-light');

    // The same screens in the dark theme.
    await page.evaluate(() => localStorage.setItem('kontor.theme', 'dark'));
    await page.reload();
    await page.getByTestId('cashback-chart').waitFor();
    await s.shot('dashboard-dark');
    await page.getByTestId('nav-partner-clients').click();
    await page.getByTestId('partner-client-row').first().waitFor();
    await s.shot('partner-area-dark');
    await page.getByTestId('partner-client-link').click();
    await expectCount(page.getByTestId('partner-product-row'), 3);
    await s.shot('client-detail-dark');
    await actAs(w.claireId, 'Boulangerie Dupont Sàrl');
    await page.getByTestId('nav-my-partners').click();
    await page.getByTestId('partner-mine-row').waitFor();
    await s.shot('client-partners-dark');

    // And in French: the partner's dashboard, its strings and its numbers.
    await page.evaluate(() => localStorage.setItem('kontor.language', 'fr'));
    await page.reload();
    await actAs(w.paulId, 'Agence Web Léman SA');
    await page.getByTestId('nav-partner-dashboard').click();
    await expectText(page.locator('.page-title'), 'Tableau de bord partenaire');
    await s.shot('dashboard-dark-fr');

    // The client ends the partnership, after a confirmation step; the partner loses the client.
    await actAs(w.claireId, 'Boulangerie Dupont Sàrl');
    await page.getByTestId('nav-my-partners').click();
    await page.getByTestId('partner-mine-end').click();
    await expectText(page.getByTestId('partner-end-dialog'), 'Agence Web Léman SA');
    expect(await page.getByTestId('partner-end-submit').isDisabled()).toBe(true);
    await page.getByTestId('partner-end-confirm').check();
    await s.shot('end-confirmation-fr');
    await page.getByTestId('partner-end-submit').click();
    await expectCount(page.getByTestId('partner-mine-row'), 0);
    await actAs(w.paulId, 'Agence Web Léman SA');
    await page.getByTestId('nav-partner-clients').click();
    await page.getByTestId('partner-clients-empty').waitFor();
  });

  function expectOnlyTheInvoicePaidInPeriod(rows: string[][], raw: string) {
    const header = rows[0] ?? [];
    const numberAt = header.findIndex((h) => /^(Number|Numéro|Nummer)$/.test(h));
    expect(numberAt, raw).toBeGreaterThanOrEqual(0);
    const numbers = rows
      .slice(1)
      .map((r) => r[numberAt] ?? '')
      .filter((n) => /^INV-/.test(n));
    expect(numbers, raw).toEqual([w.inPeriod]);
    const row = rows.find((r) => r[numberAt] === w.inPeriod) ?? [];
    expect(row[header.indexOf('Client')], raw).toBe('Boulangerie Dupont Sàrl');
    // 120.00 + 8.1 % Swiss VAT = 129.72, read by LibreOffice as a number.
    expect(
      row.map((c) => c.replace(/[’']/g, '')),
      raw,
    ).toContain('129.72');
    expect(raw).not.toContain(w.beforePeriod);
    expect(raw).not.toContain(w.clientPaid);
  }
});
