// Issue 14, defect 8: the activity showed internals — field codes (paidMinor, billTo,
// respondedByPersonId), JSON, ids, status codes (partially_paid), minor units as amounts and
// actions like "demo.invoices_generated", in fr and de too. This walks every action the code
// records (read from the sources) and every field of every synced table (common/authority),
// in en, fr and de, and reads what a person would see: no id, no field code, no JSON.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORITY } from '#common/authority/table';
import type { ActivityRow } from '../../renderer/src/api/types';
import { actionLabel, summarize } from '../../renderer/src/features/activity/summary';
import de from '../../renderer/src/i18n/de.json';
import en from '../../renderer/src/i18n/en.json';
import { makeFormatters } from '../../renderer/src/i18n/format';
import fr from '../../renderer/src/i18n/fr.json';

const ROOT = path.resolve(__dirname, '..', '..');
const ID = '0190f5e2-7c1a-7b3e-9d4f-1a2b3c4d5e6f';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every action the code records: ctx.write('…') and the bulk writers' `action: '…'`. */
function recordedActions(): string[] {
  const found = new Set<string>();
  for (const file of [...sources(path.join(ROOT, 'core')), ...sources(path.join(ROOT, 'db'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.write\(\s*'([a-z_]+\.[a-z_]+)'/g)) found.add(m[1] as string);
    for (const m of text.matchAll(/action:\s*'([a-z_]+\.[a-z_]+)'/g)) found.add(m[1] as string);
  }
  return [...found].sort();
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A plausible stored value for a field, by its name. */
function sample(key: string, n: number): unknown {
  if (/Minor$/.test(key)) return 100_000 + n * 174_950;
  if (/Bp$/.test(key)) return 810 + n;
  if (/On$/.test(key)) return `2026-03-1${n}`;
  if (/At$/.test(key)) return `2026-03-1${n}T09:30:00.000Z`;
  if (/Id$/.test(key)) return ID.replace(/f$/, String(n));
  if (key === 'status') return n ? 'partially_paid' : 'unpaid';
  if (key === 'billTo' || key === 'issuer')
    return { name: 'Käserei Müller GmbH', street: 'Dorfstrasse 5', postalCode: '8004', city: 'Zürich', country: 'CH', uid: null };
  if (key === 'lines') return [{ description: 'Hosting', grossMinor: 12_000 }];
  return n ? 'Nouveau' : 'Ancien';
}

const tables = Object.entries(AUTHORITY).map(([table, rule]) => ({
  table,
  fields: Object.keys(rule.fields).map(camel),
}));

/** What a person reads: the text, with tags stripped. */
function reading(node: ReturnType<typeof summarize>): string {
  return renderToStaticMarkup(createElement(Fragment, null, node)).replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/g, ' ');
}

const ts: Record<string, TFunction> = {};
beforeAll(async () => {
  await i18next.init({
    resources: { en: { translation: en }, fr: { translation: fr }, de: { translation: de } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  for (const lng of ['en', 'fr', 'de']) ts[lng] = i18next.getFixedT(lng);
});

describe.each(['en', 'fr', 'de'])('the activity in %s', (lng) => {
  it('names every recorded action in words', () => {
    const actions = recordedActions();
    expect(actions.length).toBeGreaterThan(50);
    for (const action of actions) {
      const label = actionLabel(ts[lng] as TFunction, action);
      expect(label, action).not.toBe(action);
      expect(label, action).not.toMatch(/[._]|[a-z][A-Z]/);
    }
  });

  it('reads every field of every synced table without an id, a field code or JSON', () => {
    const t = ts[lng] as TFunction;
    const ctx = {
      t,
      fmt: makeFormatters(`${lng}-CH`),
      currency: 'CHF' as const,
      personName: () => 'Anna Keller',
      tagName: () => 'Renouvellement',
    };
    let read = 0;
    for (const { table, fields } of tables) {
      for (const key of fields) {
        if (key === 'id') continue;
        const row = {
          id: 'a1',
          at: '2026-03-15T09:30:00.000Z',
          action: 'organization.updated',
          entity: table,
          entityId: ID,
          organizationId: ID,
          productId: null,
          actorPersonId: null,
          before: { [key]: sample(key, 0) },
          after: { [key]: sample(key, 1) },
        } as unknown as ActivityRow;
        const text = reading(summarize(row, ctx));
        const where = `${table}.${key} in ${lng}: ${text}`;
        expect(text, where).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
        expect(text, where).not.toContain('{');
        expect(text, where).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b/);
        expect(text, where).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
        // Money is money: 274,950 minor units read as 2'749.50, never as 274950.
        if (/Minor$/.test(key)) expect(text, where).toMatch(/2.749[.,]50/);
        read++;
      }
    }
    expect(read).toBeGreaterThan(150);
  });
});
