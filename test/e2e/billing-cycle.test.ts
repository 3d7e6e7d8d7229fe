import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { camt } from '../helpers/camt';
import { caller, hostingFirm, swissCompany } from './seed';
import { ARTIFACTS, expectCount, expectText, type Session, startSession } from './harness';

// The billing cycle in the browser (issue 12), as the firm's accountant runs it: the Renewals
// screen previews what falls due — one client's auto-renewed hosting paid from its prepaid
// account, another's invoice left unpaid with the reason — the run bills both; the bank's
// camt.054 is previewed entry by entry, confirmed, and pays the second invoice by its QR
// reference; the partner managing both clients sees the cashback of both invoices on its
// dashboard, each invoice named. Screenshots light, dark and French in test-results/e2e/billing/.

interface World {
  partnerId: string;
  paulId: string;
  /** Client with auto-renew and enough on its prepaid account. */
  prepaidClient: string;
  /** Client whose product does not renew automatically: its invoice waits for the bank. */
  transferClient: string;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const TODAY = day(0);

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  const org = (name: string, city: string, postalCode: string) => swissCompany(call, name, city, postalCode);
  const person = async (organizationId: string, email: string, name: string) =>
    (
      await call<{ personId: string }>('members.add', {
        organizationId,
        email,
        name,
        role: 'legal_representative',
      })
    ).personId;
  await hostingFirm(call);
  w.partnerId = await org('Agence Web Léman SA', 'Lausanne', '1003');
  w.paulId = await person(w.partnerId, 'paul@leman-web.ch', 'Paul Rochat');
  w.prepaidClient = await org('Boulangerie Dupont Sàrl', 'Vevey', '1800');
  w.transferClient = await org('Garage du Lac SA', 'Montreux', '1820');
  const claire = await person(w.prepaidClient, 'claire@boulangerie-dupont.ch', 'Claire Dupont');
  const marc = await person(w.transferClient, 'marc@garage-du-lac.ch', 'Marc Favre');
  await call('partners.setDiscount', {
    partnerOrganizationId: w.partnerId,
    productKind: 'web_hosting',
    discountBp: 2_000,
  });
  // Complete access, paid by the client: the partner earns cashback when the client renews.
  for (const [client, rep] of [
    [w.prepaidClient, claire],
    [w.transferClient, marc],
  ] as const) {
    await call('settings.setActingPerson', { personId: w.paulId });
    const p = await call<{ id: string }>('partners.inviteClient', {
      partnerOrganizationId: w.partnerId,
      clientOrganizationId: client,
      access: 'complete',
      payment: 'client',
    });
    await call('settings.setActingPerson', { personId: rep });
    await call('partners.accept', { partnershipId: p.id });
  }
  await call('settings.setActingPerson', { personId: null });
  await call('products.create', {
    organizationId: w.prepaidClient,
    kind: 'web_hosting',
    name: 'boulangerie-dupont.ch',
    publicPriceMinor: 2_500,
    billingFrequency: 'monthly',
    nextRenewalOn: day(10),
    autoRenew: true,
  });
  await call('products.create', {
    organizationId: w.transferClient,
    kind: 'web_hosting',
    name: 'garage-du-lac.ch',
    publicPriceMinor: 12_000,
    billingFrequency: 'annual',
    nextRenewalOn: day(12),
    autoRenew: false,
  });
  await call('ledger.topUp', {
    organizationId: w.prepaidClient,
    amountMinor: 50_000,
    method: 'bank_transfer',
  });
}

describe('billing cycle: renewals run, prepaid auto-renew, bank statement, partner cashback', () => {
  let s: Session;
  const w = {} as World;
  const shots: string[] = [];

  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, 'billing'), { recursive: true, force: true });
    s = await startSession('billing', { seed: (kontor) => seed(kontor, w) });
  });
  afterAll(async () => {
    await s?.close();
  });

  const invoke = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await s.kontor.router.invoke(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };

  it('runs the whole cycle in the browser', async () => {
    const { page } = s;
    await page.goto(`${s.host.url}#/organizations`);
    await page.getByTestId('nav-renewals').click();
    // The billing date starts at today.
    await page.getByTestId('renewals-preview').click();

    // The preview: one invoice per payer; the second is not auto-paid, and says why.
    await expectCount(page.getByTestId('renewal-group'), 2);
    const groups = page.getByTestId('renewal-group');
    expect(
      await groups.evaluateAll((rows) => rows.map((r) => [r.dataset.payer, r.dataset.autopay]).sort()),
    ).toEqual([
      ['Boulangerie Dupont Sàrl', 'yes'],
      ['Garage du Lac SA', 'not_auto_renew'],
    ]);
    await expectText(page.getByTestId('renewal-unpaid-reason'), 'does not renew automatically');
    // The reason is a sentence: it wraps inside the table (it once ran past its right edge, cut).
    const reasonBox = await page.getByTestId('renewal-unpaid-reason').boundingBox();
    const tableBox = await page.locator('.table-card:has([data-testid="renewals-plan"])').boundingBox();
    expect(reasonBox && tableBox && reasonBox.x + reasonBox.width <= tableBox.x + tableBox.width).toBe(true);
    shots.push(await s.shot('renewals-preview-light'));

    // The run: confirmed, its progress, then the invoices it billed, one paid from the prepaid account.
    await page.getByTestId('renewals-run').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('renewals-result').waitFor({ timeout: 20_000 });
    await expectCount(page.getByTestId('renewals-billed'), 2);
    expect(
      await page.getByTestId('renewals-billed').evaluateAll((rows) => rows.map((r) => r.dataset.paid).sort()),
    ).toEqual(['no', 'yes']);
    shots.push(await s.shot('renewals-run-light'));

    const invoices = await invoke<{
      rows: { id: string; organizationId: string; status: string; number: string; grossMinor: number }[];
    }>('invoices.list', { kinds: ['invoice'] });
    const paid = invoices.rows.find((r) => r.organizationId === w.prepaidClient)!;
    const open = invoices.rows.find((r) => r.organizationId === w.transferClient)!;
    expect(paid.status).toBe('paid');
    expect(open.status).toBe('unpaid');
    const detail = await invoke<{ paymentReference: string }>('invoices.get', { id: open.id });

    // The link of the paid invoice opens it.
    await page.getByTestId('renewals-billed').locator('a', { hasText: paid.number }).click();
    await page.waitForURL(new RegExp(`/invoices/${paid.id}`));
    // …the invoice itself, with its renewal line.
    await expectText(page.getByTestId('invoice-lines'), 'boulangerie-dupont.ch');
    shots.push(await s.shot('renewal-invoice-light'));

    // The bank's notification: the transfer of the second invoice by its QR reference, and a
    // credit nobody can place.
    const xml = camt({
      kind: '054',
      version: '08',
      bookedOn: TODAY,
      credits: [
        {
          ref: 'E2E-GARAGE',
          amount: (open.grossMinor / 100).toFixed(2),
          qrr: detail.paymentReference,
          debtor: 'Garage du Lac SA',
        },
        { ref: 'E2E-UNKNOWN', amount: '42.00', text: 'Don anonyme', debtor: 'Inconnu' },
      ],
    });
    const file = path.join(s.dir, 'camt054-e2e.xml');
    fs.writeFileSync(file, xml);
    await page.getByTestId('nav-statements').click();
    await page.getByTestId('statement-file').setInputFiles(file);
    await expectCount(page.getByTestId('statement-entry'), 2);
    expect(
      await page
        .getByTestId('statement-entry')
        .evaluateAll((rows) => rows.map((r) => r.dataset.outcome).sort()),
    ).toEqual(['exact', 'unmatched']);
    await expectText(page.getByTestId('statement-preview'), `Pays ${open.number}`);
    // Nothing is written by the preview.
    expect((await invoke<{ status: string }>('invoices.get', { id: open.id })).status).toBe('unpaid');
    shots.push(await s.shot('statement-preview-light'));

    await page.getByTestId('statement-confirm').click();
    await expectCount(page.getByTestId('statement-entry'), 0);
    await expectCount(page.getByTestId('reconcile-entry'), 1);
    expect((await invoke<{ status: string }>('invoices.get', { id: open.id })).status).toBe('paid');
    shots.push(await s.shot('statement-reconcile-light'));

    // The same file again: every credit is recognised, nothing to record.
    await page.getByTestId('statement-file').setInputFiles(file);
    await expectCount(page.locator('[data-testid="statement-entry"][data-outcome="duplicate"]'), 2);
    expect(await page.getByTestId('statement-confirm').isDisabled()).toBe(true);
    await page.getByTestId('statement-discard').click();
    // A truncated file is refused whole, with a sentence, and changes nothing.
    const payments = () => s.kontor.ctx().raw.prepare('SELECT count(*) FROM payments').pluck().get();
    const before = payments();
    const broken = path.join(s.dir, 'camt054-truncated.xml');
    fs.writeFileSync(broken, xml.slice(0, Math.floor(xml.length / 2)));
    await page.getByTestId('statement-file').setInputFiles(broken);
    await page.getByTestId('statement-error').waitFor();
    expect(await page.getByTestId('statement-error').textContent()).toMatch(/camt054-truncated\.xml/);
    await expectCount(page.getByTestId('statement-entry'), 0);
    expect(payments()).toBe(before);

    // A long statement is shown a hundred credits at a time; its counts cover them all.
    const many = path.join(s.dir, 'camt053-many.xml');
    fs.writeFileSync(
      many,
      camt({
        kind: '053',
        version: '08',
        bookedOn: TODAY,
        credits: Array.from({ length: 150 }, (_, i) => ({
          ref: `E2E-MANY-${i}`,
          amount: '1.00',
          text: 'divers',
        })),
      }),
    );
    await page.getByTestId('statement-file').setInputFiles(many);
    await expectCount(page.getByTestId('statement-entry'), 100);
    await expectText(page.getByTestId('statement-counts'), '150 to reconcile');
    await page.getByTestId('billing-show-more').click();
    await expectCount(page.getByTestId('statement-entry'), 150);
    await page.getByTestId('statement-discard').click();
    expect(payments()).toBe(before);

    // The credit nobody could place goes, by hand, to the garage's prepaid account.
    await page.getByTestId('reconcile-assign').click();
    await page.getByTestId('assign-to-prepaid').check();
    await page.getByTestId('assign-org').selectOption(w.transferClient);
    await page.getByTestId('assign-ok').click();
    await page.getByTestId('reconcile-empty').waitFor();
    const garage = await invoke<{ currency: string; balanceMinor: number }[]>('ledger.balances', {
      organizationId: w.transferClient,
    });
    expect(garage).toContainEqual({ currency: 'CHF', balanceMinor: 4_200 });

    // The garage's billing settings, where its other settings are.
    await page.goto(`${s.host.url}#/org/${w.transferClient}`);
    await page.getByTestId('billing-profile').selectOption('invoice_only');
    await page.getByTestId('billing-horizon').fill('45');
    await page.getByTestId('billing-settings-save').click();
    await expectText(page.locator('.toast, [role="status"]').last(), 'Billing settings saved');
    expect(await invoke('organizations.get', { id: w.transferClient })).toMatchObject({
      paymentProfile: 'invoice_only',
      billingHorizonDays: 45,
    });
    shots.push(await s.shot('billing-settings-light'));

    // The partner's dashboard: both invoices earned cashback, each named.
    await page.goto(`${s.host.url}#/partner/dashboard`);
    await page.getByTestId('acting-button').click();
    await page.getByTestId('acting-person').selectOption(w.paulId);
    await expectText(page.getByTestId('acting-org-name'), 'Agence Web Léman SA');
    await page.keyboard.press('Escape');
    await expectCount(page.locator('[data-testid="partner-cashback-invoice"][data-state="earned"]'), 2);
    const named = await page
      .getByTestId('partner-cashback-invoice')
      .evaluateAll((rows) => rows.map((r) => r.dataset.number).sort());
    expect(named).toEqual([paid.number, open.number].sort());
    const earned = await page.getByTestId('partner-cashback-earned').first().textContent();
    // 20 % of each public price (the partner's discount, paid back as cashback): 5.00 + 24.00.
    expect(earned).toContain('29.00');
    await page.getByTestId('partner-cashback-totals').scrollIntoViewIfNeeded();
    shots.push(await s.shot('partner-dashboard-light'));

    // Dark, then French.
    await page.emulateMedia({ colorScheme: 'dark' });
    shots.push(await s.shot('partner-dashboard-dark'));
    await page.goto(`${s.host.url}#/statements`);
    await page.getByTestId('statement-file').setInputFiles(file);
    await expectCount(page.getByTestId('statement-entry'), 2);
    shots.push(await s.shot('statements-dark'));
    await page.goto(`${s.host.url}#/renewals`);
    await page.getByTestId('renewals-preview').click();
    await page.getByTestId('renewals-nothing').waitFor();
    shots.push(await s.shot('renewals-dark'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => localStorage.setItem('kontor.language', 'fr'));
    await page.goto(`${s.host.url}#/partner/dashboard`);
    await page.reload();
    await expectText(page.getByTestId('partner-cashback-totals'), 'Gagné');
    shots.push(await s.shot('partner-dashboard-fr'));
    await page.goto(`${s.host.url}#/statements`);
    await expectText(page.locator('.page-title'), 'Relevés bancaires');
    await page.getByTestId('statement-file').setInputFiles(file);
    await expectText(page.getByTestId('statement-preview'), 'Déjà importé');
    shots.push(await s.shot('statements-fr'));
    await page.getByTestId('nav-renewals').click();
    await page.getByTestId('renewals-preview').click();
    await expectText(page.getByTestId('renewals-nothing'), 'Rien n’arrive à échéance');
    shots.push(await s.shot('renewals-fr'));
    for (const f of shots) expect(fs.statSync(f).size).toBeGreaterThan(10_000);
  });
});
