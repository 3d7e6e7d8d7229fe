import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kontor } from '#core/kontor';
import { ARTIFACTS, expectCount, expectText, type Session, startSession } from './harness';
import { caller } from './seed';

// The UI kit's widgets (React Aria underneath) driven by the keyboard only, as a person who
// does not use a mouse would: menus and lists move with the arrows and choose with Enter, a
// dialog opens in its first field, Escape on a changed form asks before throwing the work
// away. Screenshots of the menus and dialogs in light and dark land in test-results/e2e/ui/.

interface World {
  orgId: string;
  otherOrgId: string;
  personId: string;
}

async function seed(kontor: Kontor, w: World): Promise<void> {
  const call = caller(kontor);
  w.orgId = (await call<{ id: string }>('organizations.create', { kind: 'company', name: 'Atelier Aare AG', country: 'CH', currency: 'CHF' })).id;
  w.otherOrgId = (await call<{ id: string }>('organizations.create', { kind: 'company', name: 'Bäckerei Berner GmbH', country: 'CH', currency: 'CHF' })).id;
  await call('organizations.create', { kind: 'company', name: 'Chalet Chasseral Sàrl', country: 'CH', currency: 'CHF' });
  // One person who represents two organizations: the acting panel lists both.
  for (const organizationId of [w.orgId, w.otherOrgId]) {
    const member = await call<{ personId: string }>('members.add', {
      organizationId,
      email: 'ursula@aare-atelier.ch',
      name: 'Ursula Aebi',
      role: 'legal_representative',
    });
    w.personId = member.personId;
  }
  const tags: Record<string, string> = {};
  for (const name of ['Alpha', 'Bravo', 'Charlie']) tags[name] = (await call<{ id: string }>('tags.create', { organizationId: w.orgId, name })).id;
  for (const [name, status] of [
    ['aare-atelier.ch', 'active'],
    ['Mail Aare', 'expired'],
    ['Archiv Aare', 'cancelled'],
  ] as const) {
    const product = await call<{ id: string }>('products.create', {
      organizationId: w.orgId,
      kind: 'web_hosting',
      name,
      status,
      publicPriceMinor: 1_200,
      billingFrequency: 'monthly',
      nextRenewalOn: '2027-01-01',
    });
    if (name !== 'Archiv Aare') await call('tags.assign', { tagId: tags.Bravo, productIds: [product.id] });
  }
}

type Focus = Awaited<ReturnType<typeof readFocus>>;

/**
 * Waits until the focus (or, in a searchable list, the highlighted option) is as expected:
 * React Aria moves aria-activedescendant a moment after a keystroke.
 */
async function focusIs(page: Page, expected: Partial<Focus>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Focus | null = null;
  while (Date.now() < deadline) {
    last = await readFocus(page);
    const now = last;
    if (
      Object.entries(expected).every(([key, want]) => {
        const got = now[key as keyof Focus];
        return key === 'highlighted' || key === 'text' ? typeof got === 'string' && got.includes(String(want)) : got === want;
      })
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`focus: expected ${JSON.stringify(expected)}, found ${JSON.stringify(last)}`);
}

/** What has the focus: its test id, role and text, read from the page. */
async function readFocus(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const active = el?.getAttribute('aria-activedescendant');
    // Inside a searchable list the focus stays in the search box; the highlighted option is
    // the one it points at.
    const virtual = active ? document.getElementById(active) : null;
    return {
      testId: el?.dataset.testid ?? null,
      tag: el?.tagName.toLowerCase() ?? null,
      role: el?.getAttribute('role') ?? null,
      text: el?.textContent?.trim() ?? '',
      highlighted: virtual?.textContent?.trim() ?? null,
    };
  });
}

describe('keyboard widgets: menus, lists and dialogs', () => {
  let s: Session;
  const w = {} as World;

  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, 'ui'), { recursive: true, force: true });
    s = await startSession('ui', { seed: (kontor) => seed(kontor, w) });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function walk(theme: 'light' | 'dark') {
    const { page } = s;
    await page.goto(`${s.host.url}#/org/${w.orgId}/products`);
    await expectCount(page.getByTestId('product-row'), 3);

    // A checklist menu: Enter opens it on its first entry, Down moves, Enter ticks.
    await page.getByTestId('products-filter-status').focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    // The button says what it opens and that it is open (a screen reader hears "menu, expanded").
    expect(await page.getByTestId('products-filter-status').getAttribute('aria-haspopup')).toBe('true');
    expect(await page.getByTestId('products-filter-status').getAttribute('aria-expanded')).toBe('true');
    await focusIs(page, { role: 'menuitemcheckbox', text: 'Active' });
    await page.keyboard.press('ArrowDown');
    await focusIs(page, { role: 'menuitemcheckbox', text: 'Expired' });
    await page.keyboard.press('Enter');
    await expectCount(page.locator('[role="menuitemcheckbox"][aria-checked="true"]'), 1);
    expect(await page.getByRole('menuitemcheckbox', { name: 'Expired' }).getAttribute('aria-checked')).toBe('true');
    // The menu stays open for more ticks, the list behind it already follows.
    await expectCount(page.getByTestId('product-row'), 1);
    await s.shot(`${theme}-status-menu`);
    // Typing jumps to an entry (typeahead), Escape closes and gives the focus back.
    await page.keyboard.press('c');
    await focusIs(page, { role: 'menuitemcheckbox', text: 'Cancelled' });
    await page.keyboard.press('Escape');
    await expectCount(menu, 0);
    await focusIs(page, { testId: 'products-filter-status' });
    await page.getByTestId('products-filter-clear').click();
    await expectCount(page.getByTestId('product-row'), 3);

    // A searchable menu (tags): the focus stays in the search box, the arrows move the
    // highlight through the matches, Enter ticks the highlighted one.
    await page.getByTestId('products-filter-tag').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('products-filter-tag-search').waitFor();
    await focusIs(page, { testId: 'products-filter-tag-search' });
    await page.keyboard.type('a');
    await expectText(page.getByRole('menu'), 'Charlie');
    await focusIs(page, { highlighted: 'Alpha' });
    await page.keyboard.press('ArrowDown');
    await focusIs(page, { highlighted: 'Bravo' });
    await s.shot(`${theme}-tag-menu-search`);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('menuitemcheckbox', { name: /Bravo/ }).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape'); // empties the search first
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('product-row'), 2);
    await page.getByTestId('products-filter-clear').click();

    // The organization switcher: a searchable menu; Down then Enter opens the next organization.
    await page.getByTestId('org-switcher').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('org-switcher-search').waitFor();
    expect(await page.getByTestId('org-switcher').getAttribute('aria-expanded')).toBe('true');
    await focusIs(page, { testId: 'org-switcher-search' });
    await page.keyboard.type('g');
    await expectCount(page.getByTestId('org-switcher-option'), 2);
    await focusIs(page, { highlighted: 'Atelier Aare AG' });
    await s.shot(`${theme}-org-switcher`);
    await page.keyboard.press('ArrowDown');
    await focusIs(page, { highlighted: 'Bäckerei Berner GmbH' });
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.includes(id), w.otherOrgId);
    await page.goto(`${s.host.url}#/org/${w.orgId}/products`);
    await expectCount(page.getByTestId('product-row'), 3);

    // The acting panel (a popover): it opens in its first field, the person; the person's
    // organizations are a listbox (one tab stop, arrows move, Enter chooses).
    await page.getByTestId('acting-button').focus();
    await page.keyboard.press('Enter');
    await focusIs(page, { testId: 'acting-person' });
    await page.getByTestId('acting-person').selectOption(w.personId);
    await expectCount(page.getByTestId('acting-org-option'), 2);
    // Chosen while the person's choice is being saved, they are disabled a moment.
    await expectCount(page.locator('[data-testid="acting-org-option"][aria-disabled="true"]'), 0);
    await page.keyboard.press('Tab');
    await focusIs(page, { role: 'option' });
    // The focus lands on the organization acted for (the first pass chose none yet, so the
    // first one); the arrows go to the other one and Enter makes it the acting one.
    const onAtelier = (await readFocus(page)).text.includes('Atelier');
    const other = onAtelier ? 'Bäckerei Berner GmbH' : 'Atelier Aare AG';
    await page.keyboard.press(onAtelier ? 'ArrowDown' : 'ArrowUp');
    await focusIs(page, { role: 'option', text: other });
    await s.shot(`${theme}-acting-panel`);
    await page.keyboard.press('Enter');
    await expectCount(page.getByTestId('acting-org-option'), 0);
    await expectText(page.getByTestId('acting-org-name'), other);
    await page.goto(`${s.host.url}#/org/${w.orgId}/products`);
    await expectCount(page.getByTestId('product-row'), 3);

    // A dialog opens with the focus in its first field, not on Close.
    await page.getByTestId('product-create').first().click();
    await page.getByTestId('product-form').waitFor();
    expect(await page.getByTestId('product-form').getAttribute('role')).toBe('dialog');
    await focusIs(page, { testId: 'product-form-name' });
    await s.shot(`${theme}-product-dialog`);
    // Escape on a changed form asks; "Keep editing" goes back with the work kept.
    await page.keyboard.type('Hosting Thun');
    await page.keyboard.press('Escape');
    const ask = page.getByTestId('discard-dialog');
    await ask.waitFor();
    expect(await ask.getAttribute('role')).toBe('alertdialog');
    await focusIs(page, { testId: 'discard-keep' });
    await s.shot(`${theme}-discard-asked`);
    await page.keyboard.press('Enter');
    await expectCount(ask, 0);
    expect(await page.getByTestId('product-form-name').inputValue()).toBe('Hosting Thun');
    await focusIs(page, { testId: 'product-form-name' });
    // Escape in the question is "keep editing" too.
    await page.keyboard.press('Escape');
    await ask.waitFor();
    await page.keyboard.press('Escape');
    await expectCount(ask, 0);
    expect(await page.getByTestId('product-form-name').inputValue()).toBe('Hosting Thun');
    // Discarding closes and keeps nothing: the next opening is empty, nothing was created.
    await page.keyboard.press('Escape');
    await ask.waitFor();
    await page.getByTestId('discard-confirm').focus();
    await page.keyboard.press('Enter');
    await expectCount(page.getByTestId('product-form'), 0);
    await expectCount(page.getByTestId('product-row'), 3);
    // A value typed and taken back is no change: Escape closes at once.
    await page.getByTestId('product-create').first().click();
    await page.getByTestId('product-form').waitFor();
    expect(await page.getByTestId('product-form-name').inputValue()).toBe('');
    await page.keyboard.type('x');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('product-form'), 0);
    await expectCount(ask, 0);
    // Untouched: Escape closes at once, and the focus is back on the button that opened it.
    await page.getByTestId('product-create').first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('product-form').waitFor();
    await page.keyboard.press('Escape');
    await expectCount(page.getByTestId('product-form'), 0);
    await expectCount(ask, 0);
    await focusIs(page, { testId: 'product-create' });

    // A list inside a dialog (add a tag to the chosen products): type, arrows, Enter.
    await page.getByTestId('products-select-all').check();
    await page.getByTestId('bulk-add-tag').click();
    await page.getByTestId('bulk-tag-dialog').waitFor();
    await focusIs(page, { testId: 'bulk-tag-search' });
    // Two partial matches: Enter's default is a new tag "ha", so that entry comes first.
    await page.keyboard.type('ha');
    await focusIs(page, { highlighted: '“ha”' });
    await page.keyboard.press('ArrowDown');
    await focusIs(page, { highlighted: 'Alpha' });
    await page.keyboard.press('ArrowDown');
    await focusIs(page, { highlighted: 'Charlie' });
    await s.shot(`${theme}-bulk-tag-list`);
    await page.keyboard.press('Enter');
    await expectCount(page.getByTestId('bulk-tag-dialog'), 0);
    const tags = await s.kontor.router.invoke('tags.list', { organizationId: w.orgId });
    expect(tags.ok && (tags.value as { name: string; productCount: number }[]).find((t) => t.name === 'Charlie')?.productCount).toBe(3);

    // A destructive confirmation is an alert dialog that opens on Cancel, the safe answer.
    await page.getByTestId('nav-tags').click();
    await page.getByTestId('tag-delete-Charlie').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    expect(await confirm.getAttribute('role')).toBe('alertdialog');
    await focusIs(page, { testId: 'confirm-cancel' });
    await s.shot(`${theme}-confirm-delete`);
    await page.keyboard.press('Escape');
    await expectCount(confirm, 0);

    // A tooltip on an icon button shows on keyboard focus (a title attribute never did).
    await page.getByTestId('nav-tags').focus();
    await page.getByTestId('tag-rename-Alpha').focus();
    await page.getByRole('tooltip').waitFor();
    await page.waitForTimeout(300); // its fade-in
    await s.shot(`${theme}-tooltip`);
    await page.keyboard.press('Escape');

    // A colour popover: it opens on the chosen swatch, the arrows move, Enter recolours.
    const colorOf = async (name: string) => {
      const list = await s.kontor.router.invoke('tags.list', { organizationId: w.orgId });
      return list.ok ? (list.value as { name: string; color: string }[]).find((t) => t.name === name)?.color : undefined;
    };
    const before = await colorOf('Alpha');
    await page.getByTestId('tag-color-Alpha').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('tag-color-picker-Alpha').waitFor();
    await focusIs(page, { role: 'option' });
    const start = (await readFocus(page)).testId;
    await page.keyboard.press('ArrowRight');
    const next = (await readFocus(page)).testId;
    expect(next).not.toBe(start);
    await s.shot(`${theme}-colour-popover`);
    await page.keyboard.press('Enter');
    await expectCount(page.getByTestId('tag-color-picker-Alpha'), 0);
    const deadline = Date.now() + 5_000;
    while ((await colorOf('Alpha')) === before && Date.now() < deadline) await page.waitForTimeout(100);
    expect(`tag-color-picker-Alpha-${(await colorOf('Alpha'))?.slice(1)}`).toBe(next);
  }

  it('moves by arrows, chooses with Enter and asks before discarding, in light and dark', async () => {
    await walk('light');
    await s.page.evaluate(() => localStorage.setItem('kontor.theme', 'dark'));
    await s.page.reload();
    // The dark pass adds the tag again: Charlie is now on every product already.
    await walk('dark');
  });
});
