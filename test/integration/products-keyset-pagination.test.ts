// products.list pages with a keyset on (sort column, id). Walking every page must give exactly
// the full ordered list: no row twice, none skipped, even when hundreds of rows tie on the
// sort column across page boundaries, in both directions, with filters.
import { beforeAll, describe, expect, it } from 'vitest';
import { sortKey } from '#db/sort-key';
import { prng } from '#core/demo/prng';
import type { MethodInput, MethodOutput } from '#core/api/contract';
import { PRODUCT_SORTS } from '#common/products.schema';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-pages-');

const KINDS = [
  'web_hosting',
  'mail_hosting',
  'domain',
  'drive',
  'cloud_server',
  'streaming',
  'ticketing',
  'other',
] as const;
const STATUSES = ['active', 'expired', 'cancelled'] as const;
// Few distinct names (ties), mixed case and accents (binary order puts "Zeta" before "alpha").
const NAMES = [
  'alpha.ch',
  'Alpha.ch',
  'Zeta',
  'zèbre',
  'École',
  'ecole',
  'beta',
  'Beta',
  'mail',
  'www',
  'shop_1',
  'shop%2',
];
const DATES = ['2026-01-31', '2026-02-28', '2026-06-30', '2027-01-01', '2027-12-31'];
const TOTAL = 2_500;

interface P {
  id: string;
  name: string;
  kind: string;
  status: string;
  nextRenewalOn: string;
  publicPriceMinor: number;
  tags: Set<string>;
}

let k: TestKontor;
let organizationId: string;
let tagIds: string[];
let live: P[];

beforeAll(async () => {
  k = space.kontor();
  const random = prng(2500);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  organizationId = (
    await k.ok('organizations.create', {
      kind: 'company',
      name: 'Big Reseller AG',
      country: 'CH',
      currency: 'CHF',
    })
  ).id;
  const neighbour = (
    await k.ok('organizations.create', { kind: 'company', name: 'Neighbour', country: 'CH', currency: 'CHF' })
  ).id;
  tagIds = [];
  for (const name of ['red', 'green', 'blue'])
    tagIds.push((await k.ok('tags.create', { organizationId, name })).id);

  const all: P[] = [];
  // One transaction around the whole arrangement: each call still goes through the router
  // (its write becomes a savepoint), without 2,500 fsyncs.
  k.raw.exec('BEGIN IMMEDIATE');
  try {
    for (let i = 0; i < TOTAL; i++) {
      const tags = new Set(tagIds.filter(() => random() < 0.35));
      const input: MethodInput<'products.create'> = {
        organizationId,
        kind: pick(KINDS),
        name: pick(NAMES),
        publicPriceMinor: pick([0, 990, 1_500, 1_500, 12_000, 99_999]),
        billingFrequency: 'annual',
        nextRenewalOn: pick(DATES),
        status: pick(STATUSES),
        tagIds: [...tags],
      };
      const p = await k.ok('products.create', input);
      all.push({ ...p, tags });
    }
    for (let i = 0; i < 50; i++) {
      await k.ok('products.create', {
        organizationId: neighbour,
        kind: 'domain',
        name: 'alpha.ch',
        publicPriceMinor: 1_500,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
      });
    }
    k.raw.exec('COMMIT');
  } catch (error) {
    k.raw.exec('ROLLBACK');
    throw error;
  }
  // Deleted products never show.
  const deleted = new Set(all.filter((_, i) => i % 37 === 0).map((p) => p.id));
  for (const id of deleted) await k.ok('products.delete', { id });
  live = all.filter((p) => !deleted.has(p.id));
}, 120_000);

type Sort = (typeof PRODUCT_SORTS)[number];
type Filter = Pick<MethodInput<'products.list'>, 'statuses' | 'kinds' | 'tagIds' | 'tagMode' | 'search'>;

/**
 * The search index's rule (search.service.ts): every typed word is a run of whole tokens of
 * the name, the last one a prefix; case and accents folded; % and _ are no syntax, only
 * separators, like any punctuation.
 */
const tokensOf = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
function nameMatches(name: string, search: string): boolean {
  const tokens = tokensOf(name);
  return search
    .trim()
    .split(/\s+/)
    .map(tokensOf)
    .filter((w) => w.length > 0)
    .every((word) =>
      tokens.some((_, i) =>
        word.every((t, j) => (j === word.length - 1 ? tokens[i + j]?.startsWith(t) : tokens[i + j] === t)),
      ),
    );
}

function matches(p: P, f: Filter): boolean {
  if (f.statuses?.length && !f.statuses.includes(p.status as never)) return false;
  if (f.kinds?.length && !f.kinds.includes(p.kind as never)) return false;
  if (f.tagIds?.length) {
    const hits = f.tagIds.filter((t) => p.tags.has(t));
    if ((f.tagMode ?? 'any') === 'any' ? hits.length === 0 : new Set(hits).size !== new Set(f.tagIds).size)
      return false;
  }
  if (f.search && !nameMatches(p.name, f.search)) return false;
  return true;
}

/**
 * The order a user expects: names by their sort key (case and accents folded: "École" beside
 * "ecole", "zèbre" before "Zeta"; test/unit/name-order.test.ts checks it against
 * Intl.Collator), the other columns by value; then id.
 */
function expectedOrder(f: Filter, sort: Sort, direction: 'asc' | 'desc'): string[] {
  const sign = direction === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const value = (p: P) => (sort === 'name' ? sortKey(p.name) : p[sort]);
  return live
    .filter((p) => matches(p, f))
    .sort((a, b) => sign * (cmp(value(a), value(b)) || cmp(a.id, b.id)))
    .map((p) => p.id);
}

async function walk(f: Filter, sort: Sort, direction: 'asc' | 'desc', limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1_000; pages++) {
    const page: MethodOutput<'products.list'> = await k.ok('products.list', {
      organizationId,
      ...f,
      sort,
      direction,
      limit,
      cursor,
    });
    ids.push(...page.rows.map((r) => r.id));
    if (page.nextCursor === null) {
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      return ids;
    }
    expect(page.rows).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  throw new Error('pagination never ended');
}

const FILTERS: [string, Filter][] = [
  ['no filter', {}],
  ['status and kind', { statuses: ['active', 'expired'], kinds: ['web_hosting', 'domain', 'drive'] }],
  ['any of two tags', { tagIds: ['filled in once the tags exist'], tagMode: 'any' }],
  ['search with a literal %', { search: 'shop%' }],
  ['search with the accent left out', { search: 'ECOLE' }],
];

describe('walking products.list page by page', () => {
  it('has ties across page boundaries to get right', () => {
    expect(live.length).toBeGreaterThan(2_400);
    const byName = new Map<string, number>();
    for (const p of live) byName.set(p.name, (byName.get(p.name) ?? 0) + 1);
    expect(Math.max(...byName.values())).toBeGreaterThan(150);
  });

  for (const sort of PRODUCT_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`gives every product exactly once, in order, sorted by ${sort} ${direction}`, async () => {
        for (const [label, template] of FILTERS) {
          // Tag ids are only known once the store is filled.
          const filter: Filter = template.tagIds
            ? { ...template, tagIds: [tagIds[0]!, tagIds[1]!] }
            : template;
          const expected = expectedOrder(filter, sort, direction);
          const got = await walk(filter, sort, direction);
          expect(new Set(got).size, `${label}: no duplicates`).toBe(got.length);
          expect(got, `${label}: same rows in the same order`).toEqual(expected);
        }
      });
    }
  }

  it('agrees with products.count for every filter, including all-of-several tags', async () => {
    for (const f of [
      {},
      { tagIds: [tagIds[0]!, tagIds[2]!], tagMode: 'all' as const },
      { tagIds: [tagIds[0]!, tagIds[2]!], tagMode: 'any' as const, statuses: ['cancelled' as const] },
      { search: 'ALPHA' },
      { search: 'shop_' },
    ]) {
      const { count } = await k.ok('products.count', { organizationId, ...f });
      const expected = expectedOrder(f, 'name', 'asc');
      expect(count).toBe(expected.length);
      expect(await walk(f, 'publicPriceMinor', 'desc', 77)).toEqual(
        expectedOrder(f, 'publicPriceMinor', 'desc'),
      );
    }
  });

  it('works with odd page sizes: 1, 7, 1000', async () => {
    const f: Filter = { statuses: ['expired'], kinds: ['ticketing'] };
    const expected = expectedOrder(f, 'nextRenewalOn', 'asc');
    for (const limit of [1, 7, 1000]) expect(await walk(f, 'nextRenewalOn', 'asc', limit)).toEqual(expected);
  });

  it('refuses a tampered cursor instead of guessing', async () => {
    const input = { organizationId, cursor: 'not-a-cursor' };
    await k.fails('products.list', input, 'invalid_input');
    await k.fails(
      'products.list',
      { organizationId, cursor: Buffer.from('[1,2,3]').toString('base64url') },
      'invalid_input',
    );
  });
});
