// Issue 14 review: a member brought back by Undo (members.add of the removed person, which
// revives the membership) read "Deleted: restored" in the activity, and team entries named
// neither the team nor the product. Written through the router, read as the panel reads them
// (summarize), in en, fr and de.
import i18next, { type TFunction } from 'i18next';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../renderer/src/api/types';
import { summarize } from '../../renderer/src/features/activity/summary';
import de from '../../renderer/src/i18n/de.json';
import en from '../../renderer/src/i18n/en.json';
import { makeFormatters } from '../../renderer/src/i18n/format';
import fr from '../../renderer/src/i18n/fr.json';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-activity-teams-');
const ts: Record<string, TFunction> = {};
let k: TestKontor;
let rows: ActivityRow[];
let names: Map<string, string>;

const reading = (row: ActivityRow, lng: string) =>
  renderToStaticMarkup(
    createElement(
      Fragment,
      null,
      summarize(row, {
        t: ts[lng] as TFunction,
        fmt: makeFormatters(`${lng}-CH`),
        currency: 'CHF',
        personName: (id) => names.get(id),
        tagName: () => undefined,
      }),
    ),
  )
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

beforeAll(async () => {
  await i18next.init({
    resources: { en: { translation: en }, fr: { translation: fr }, de: { translation: de } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  for (const lng of ['en', 'fr', 'de']) ts[lng] = i18next.getFixedT(lng);
  k = space.kontor();
  await setUpProvider(k);
  const org = await createPayer(k, { name: 'Käserei Team AG' });
  const claire = await k.ok('members.add', {
    organizationId: org.id,
    email: 'claire@kaeserei.ch',
    name: 'Claire Favre',
    role: 'administrator',
  });
  const product = await k.ok('products.create', {
    organizationId: org.id,
    kind: 'web_hosting',
    name: 'Webhosting Aare',
    publicPriceMinor: 12_000,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
  });
  const team = await k.ok('teams.create', { organizationId: org.id, name: 'Support' });
  await k.ok('teams.setMembers', { id: team.id, personIds: [claire.personId] });
  await k.ok('teams.setProducts', { id: team.id, productIds: [product.id] });
  // Writes at one instant by one person are read as one entry: each step a minute apart.
  k.clock.advance(60_000);
  await k.ok('teams.setProducts', { id: team.id, productIds: [] });
  // Removed, then brought back from the toast: the panel's Undo adds her again, same role.
  k.clock.advance(60_000);
  await k.ok('members.remove', { organizationId: org.id, personId: claire.personId });
  k.clock.advance(60_000);
  await k.ok('members.add', {
    organizationId: org.id,
    email: 'claire@kaeserei.ch',
    name: 'Claire Favre',
    role: 'administrator',
  });
  names = new Map([[claire.personId, 'Claire Favre']]);
  rows = (await k.ok('activity.list', { organizationId: org.id, limit: 200 })).rows;
});

describe('the activity of members and teams', () => {
  it('reads a member brought back as back, not as a deleted field restored', () => {
    const back = rows.filter(
      (r) => r.entity === 'memberships' && r.before?.deletedAt && r.after?.deletedAt === null,
    );
    expect(back).toHaveLength(1);
    expect(back[0]?.subject).toBe('Claire Favre');
    expect(reading(back[0] as ActivityRow, 'en')).toBe('Claire Favre added back');
    expect(reading(back[0] as ActivityRow, 'fr')).toBe('Claire Favre de nouveau membre');
    expect(reading(back[0] as ActivityRow, 'de')).toBe('Claire Favre wieder aufgenommen');
    // Her removal names her too.
    const removed = rows.find((r) => r.entity === 'memberships' && r.after?.deletedAt);
    expect(removed?.subject).toBe('Claire Favre');
  });

  it('names the team of every team entry, and the product a team gained or lost', () => {
    const teamRows = rows.filter((r) => r.entity.startsWith('work_team'));
    expect(new Set(teamRows.map((r) => r.entity))).toEqual(
      new Set(['work_teams', 'work_team_members', 'work_team_products']),
    );
    for (const r of teamRows) expect(r.subject, `${r.entity} ${r.action}`).toBe('Support');
    const products = teamRows.filter((r) => r.entity === 'work_team_products');
    for (const r of products) expect(r.part).toBe('Webhosting Aare');
    const readings = products.map((r) => reading(r, 'en')).sort();
    expect(readings).toEqual([
      '“Webhosting Aare” added to the team',
      '“Webhosting Aare” removed from the team',
    ]);
    expect(products.map((r) => reading(r, 'de')).sort()).toEqual([
      '„Webhosting Aare“ aus dem Team entfernt',
      '„Webhosting Aare“ dem Team hinzugefügt',
    ]);
    const member = teamRows.find((r) => r.entity === 'work_team_members');
    expect(member?.part).toBe('Claire Favre');
  });
});
