import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCount, expectText, type Session, startSession } from './harness';

// The foundation's end-to-end path, clicked through like a person: an organization with a
// VAT number (an invalid one refused first), two products, a tag assigned to both, renamed,
// used as a filter and deleted; then French and the dark theme. Screenshots of each step
// land in test-results/e2e/foundation/.
describe('organizations, products and tags in the browser', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession('foundation');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('walks the whole slice', async () => {
    const { page } = s;
    await page.goto(s.host.url);
    await page.getByTestId('org-create').first().click();
    await page.getByTestId('org-form-name').fill('Müller & Söhne GmbH');
    await page.getByTestId('org-form-country').selectOption('DE');
    await page.getByTestId('org-form-vat').fill('DE 136 695 977');
    await page.getByTestId('org-form-vat').blur();
    await page.getByTestId('org-form-submit').click();
    // A wrong check digit is refused with a clear message, and nothing is created.
    const refusal = page.getByTestId('org-form-vat-status');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/check digit/i);
    await s.shot('vat-refused');
    expect((await s.kontor.router.invoke('organizations.list', {})) as { value: unknown[] }).toMatchObject({ value: [] });

    await page.getByTestId('org-form-vat').fill('DE136695976');
    await page.getByTestId('org-form-submit').click();
    await page.getByTestId('org-detail-name').waitFor();
    expect(await page.getByTestId('org-detail-name').textContent()).toContain('Müller & Söhne GmbH');
    await s.shot('organization-created');

    // Two products.
    await page.getByTestId('nav-products').click();
    for (const [name, price] of [
      ['Webshop Zürich', '168.00'],
      ['Messagerie Léman', '36.50'],
    ] as const) {
      await page.getByTestId('product-create').first().click();
      await page.getByTestId('product-form-name').fill(name);
      await page.getByTestId('product-form-price').fill(price);
      await page.getByTestId('product-form-submit').click();
      await page.locator(`[data-testid="product-row"][data-product-name="${name}"]`).waitFor();
    }
    await expectCount(page.getByTestId('product-row'), 2);
    await s.shot('two-products');

    // The organization's id is in the address: #/org/<id>/products.
    const shownOrg = () => new URL(page.url()).hash.split('/')[2] ?? '';
    // Annual to monthly before the paid term ends bills its remaining months again: the form
    // says so and saves only once the person ticks the consent (the seeds' rule).
    await page.locator('[data-testid="product-row"][data-product-name="Webshop Zürich"] [data-testid="product-open"]').click();
    await page.getByTestId('product-form-frequency').selectOption('monthly');
    await page.getByTestId('product-form-rebilling-warning').waitFor();
    await page.getByTestId('product-form-submit').click();
    await expectText(page.getByTestId('product-form-rebilling-warning'), 'Confirm the re-billing');
    await s.shot('rebilling-asks-consent');
    const stillAnnual = await s.kontor.router.invoke('products.list', { organizationId: shownOrg(), search: 'Webshop' });
    expect(stillAnnual).toMatchObject({ ok: true, value: { rows: [{ billingFrequency: 'annual' }] } });
    await page.getByTestId('product-form-confirm-rebilling').check();
    await page.getByTestId('product-form-submit').click();
    await expectCount(page.getByTestId('product-form'), 0);
    const monthly = await s.kontor.router.invoke('products.list', { organizationId: shownOrg(), search: 'Webshop' });
    expect(monthly).toMatchObject({ ok: true, value: { rows: [{ billingFrequency: 'monthly' }] } });

    // A tag, created in the tag manager, then put on both products at once.
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tag-name-input').fill('Clients VIP');
    await page.getByTestId('tag-create').click();
    await page.getByTestId('tag-row-Clients VIP').waitFor();
    await page.getByTestId('nav-products').click();
    await page.getByTestId('products-select-all').check();
    await page.getByTestId('bulk-add-tag').click();
    await page.getByTestId('bulk-tag-option-Clients VIP').click();
    await expectCount(page.getByTestId('product-tag'), 2);
    await s.shot('tag-on-both');

    // Renamed in the tag manager: both products show the new name.
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tag-rename-Clients VIP').click();
    await page.getByTestId('tag-rename-input').fill('Grands comptes');
    await page.getByTestId('tag-rename-save').click();
    await page.getByTestId('tag-row-Grands comptes').waitFor();
    await s.shot('tag-renamed');

    // Filter by it: a product without the tag disappears from the list.
    await page.getByTestId('nav-products').click();
    await page.getByTestId('product-create').first().click();
    await page.getByTestId('product-form-name').fill('Domaine sans étiquette');
    await page.getByTestId('product-form-price').fill('18');
    await page.getByTestId('product-form-submit').click();
    await expectCount(page.getByTestId('product-row'), 3);
    await page.getByTestId('products-filter-tag').click();
    await page.getByTestId('products-filter-tag-option-Grands comptes').click();
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('product-row'), 2);
    const names = await page.getByTestId('product-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product-name')));
    expect(names.sort()).toEqual(['Messagerie Léman', 'Webshop Zürich']);
    await s.shot('filtered-by-tag');

    // Deleted: it leaves every product.
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tag-delete-Grands comptes').click();
    await page.getByTestId('confirm-ok').click();
    await expectCount(page.getByTestId('tag-row-Grands comptes'), 0);
    await page.getByTestId('nav-products').click();
    await page.getByTestId('products-filter-clear').click().catch(() => {});
    await expectCount(page.getByTestId('product-row'), 3);
    await expectCount(page.getByTestId('product-tag'), 0);
    await s.shot('tag-deleted');

    // The activity names a product and links to that product, opened over its list (it linked
    // to the list alone, issue 14).
    const orgs = await s.kontor.router.invoke('organizations.list', {});
    const orgId = orgs.ok ? (orgs.value as { id: string }[])[0]?.id : undefined;
    await page.goto(`${s.host.url}#/org/${orgId}/activity`);
    const link = page.getByTestId('activity-subject').filter({ hasText: 'Messagerie Léman' }).first();
    const products = await s.kontor.router.invoke('products.list', { organizationId: orgId });
    const product = products.ok
      ? (products.value as { rows: { id: string; name: string }[] }).rows.find((p) => p.name === 'Messagerie Léman')
      : undefined;
    expect(await link.getAttribute('href')).toBe(`#/org/${orgId}/products/${product?.id}`);
    await link.click();
    await expect(page.getByTestId('product-form-name').inputValue()).resolves.toBe('Messagerie Léman');
    await s.shot('product-from-activity');
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('product-form-name'), 0);
    await expectCount(page.getByTestId('product-row'), 3);

    // French, then dark.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('fr');
    await expectText(page.getByTestId('nav-products'), 'Produits');
    await page.getByTestId('settings-theme').selectOption('dark');
    const theme = await page.evaluate(() => document.documentElement.dataset.theme ?? getComputedStyle(document.documentElement).colorScheme);
    expect(theme).toContain('dark');
    await s.shot('french-dark');
    await page.getByTestId('nav-products').click();
    await expectCount(page.getByTestId('product-row'), 3);
    await s.shot('products-french-dark');
  });
});
