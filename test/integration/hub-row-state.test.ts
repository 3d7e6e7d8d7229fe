import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { prng } from '#core/demo/prng';
import { formatHlc } from '#db/sync/hlc';
import { compactHub } from '#server/sync/compact';
import { enrolledDevice, type HubEngine, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { defaultAddress, organization, product } from '../helpers/hub-fixtures';
import { rowStates } from '../helpers/hub-row-state';

// Each hub row's JSON state (hub_rows.fields_json, what a snapshot serves) is derived from
// hub_fields by every push: the fields it wrote, merged in by the database. After random
// pushes — concurrent ones writing other fields of the same rows, stale and replayed writes,
// refusals (a row out of the writer's scope, a forged stamp, a value too large), the hub's own
// writes (the default billing address it takes away from the older choice), products moved
// between organizations, compaction of the history between rounds — every row's state must
// equal the fold of its hub_fields rows (computed here in JavaScript), and a snapshot must serve
// exactly that fold for the rows its caller may see, none other.

const SEED = Number(process.env.KONTOR_ROW_STATE_SEED ?? Date.now() % 1_000_000);
const ROUNDS = 24;

const COLUMNS = ['name', 'public_price_minor', 'next_renewal_on', 'auto_renew', 'billing_frequency'] as const;
const VALUES: Record<(typeof COLUMNS)[number], (n: number) => unknown> = {
  name: (n) => `name ${n}`,
  public_price_minor: (n) => n,
  next_renewal_on: (n) => `2027-0${1 + (n % 9)}-1${n % 10}`,
  auto_renew: (n) => n % 2 === 0,
  billing_frequency: (n) => (n % 2 === 0 ? 'monthly' : 'yearly'),
};

describe.each<HubEngine>(['sqlite', 'postgres'])(`hub row JSON state on %s (seed ${SEED})`, (engine) => {
  let hub: TestHub;
  let ana: TestDevice;
  let ana2: TestDevice;
  let eve: TestDevice;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    ana = await enrolledDevice(hub.url, 'ana');
    await ana.push([...organization(ana, 'org-a'), ...organization(ana, 'org-b')]);
    ana2 = await enrolledDevice(hub.url, 'ana');
    eve = await enrolledDevice(hub.url, 'eve');
    await eve.push(organization(eve, 'org-e'));
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function expectStatesEqualFold(): Promise<number> {
    const { folded, state } = await rowStates(hub.store);
    expect([...state.keys()].sort()).toEqual([...folded.keys()].sort());
    for (const [k, fields] of folded) expect(state.get(k), k).toEqual(fields);
    return folded.size;
  }

  it('equals the fold of hub_fields after random pushes, refusals and compaction; snapshots serve it', async () => {
    const random = prng(SEED + (engine === 'postgres' ? 1 : 0));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const products: { id: string; org: string }[] = [];
    const outcomes = new Map<string, number>();
    const count = (results: { outcome: string; reason: string | null }[]) => {
      for (const r of results) {
        const k = r.reason ? `${r.outcome}:${r.reason}` : r.outcome;
        outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
      }
    };
    let address = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const batches: [TestDevice, WireChange[]][] = [];
      for (const device of [ana, ana2]) {
        const changes: WireChange[] = [];
        if (products.length < 4 || random() < 0.3) {
          const p = { id: `p-${round}-${device === ana ? 1 : 2}`, org: pick(['org-a', 'org-b']) };
          products.push(p);
          changes.push(...product(device, p.id, p.org));
        }
        // Field writes: now, or stamped in the past (a stale write the hub supersedes).
        for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
          const p = pick(products);
          const column = pick(COLUMNS);
          const value = VALUES[column](Math.floor(random() * 9000));
          const hlc =
            random() < 0.25
              ? formatHlc({ wallMs: Date.now() - 3_600_000, counter: 0, deviceId: device.id })
              : device.hlc();
          changes.push({ table: 'products', rowId: p.id, column, value: JSON.stringify(value), hlc });
        }
        // A product moved to the other organization (its tag links follow: server/sync/rekey.ts).
        if (random() < 0.15) {
          const p = pick(products);
          p.org = p.org === 'org-a' ? 'org-b' : 'org-a';
          changes.push({
            table: 'products',
            rowId: p.id,
            column: 'organization_id',
            value: JSON.stringify(p.org),
            hlc: device.hlc(),
          });
        }
        // A second default billing address: the hub takes the default from the older one.
        if (random() < 0.3)
          changes.push(
            ...defaultAddress(device, `addr-${address++}`, pick(['org-a', 'org-b'])),
          );
        // Refused: another device's stamp; a value too large.
        if (random() < 0.3) {
          const p = pick(products);
          changes.push({ table: 'products', rowId: p.id, column: 'name', value: '"forged"', hlc: eve.hlc() });
        }
        if (random() < 0.2) {
          const p = pick(products);
          changes.push({
            table: 'products',
            rowId: p.id,
            column: 'name',
            value: JSON.stringify('x'.repeat(70_000)),
            hlc: device.hlc(),
          });
        }
        batches.push([device, changes]);
      }
      // Refused: eve writes rows of organizations she does not belong to.
      const theirs = pick(products);
      batches.push([
        eve,
        [
          { table: 'products', rowId: theirs.id, column: 'name', value: '"mine"', hlc: eve.hlc() },
          ...product(eve, `p-eve-${round}`, 'org-a'),
        ],
      ]);
      // The batches of a round at once (PostgreSQL runs them concurrently); one replayed.
      const answers = await Promise.all(batches.map(([d, c]) => d.push(c)));
      for (const a of answers) count(a.results);
      if (random() < 0.3) {
        const [d, c] = batches[0]!;
        count((await d.push(c)).results);
      }
      if (round % 6 === 5) await compactHub(hub.store, Date.now() + hub.skew.ms, 0);
      if (round % 4 === 3) await expectStatesEqualFold();
    }
    // The random walk went through the paths it is about.
    const seen = [...outcomes.keys()].join(' ');
    expect(seen).toMatch(/applied/);
    expect(seen).toMatch(/superseded/);
    expect(seen).toMatch(/rejected:hlc_foreign_device/);
    expect(seen).toMatch(/rejected:value_invalid/);
    expect(seen).toMatch(/rejected:out_of_scope/);
    expect(seen).toMatch(/duplicate/);
    expect(await expectStatesEqualFold()).toBeGreaterThan(products.length);

    // A snapshot serves the state: for ana every row of her organizations, exactly as folded;
    // for eve only her own.
    const { folded } = await rowStates(hub.store);
    const served = new Map((await ana.snapshot(7)).rows.map((r) => [`${r.table}/${r.rowId}`, r.fields]));
    for (const p of products)
      expect(served.get(`products/${p.id}`), p.id).toEqual(folded.get(`products/${p.id}`));
    for (const [k, fields] of served) expect(fields, k).toEqual(folded.get(k));
    const hers = (await eve.snapshot(7)).rows;
    expect(hers.some((r) => r.table === 'organizations' && r.rowId === 'org-e')).toBe(true);
    for (const r of hers) {
      const org =
        r.fields.organization_id?.[0] ?? (r.table === 'organizations' ? JSON.stringify(r.rowId) : null);
      expect([JSON.stringify('org-e'), null], `${r.table}/${r.rowId}`).toContain(org);
    }
  }, 240_000);

  it('keeps a value with a lone surrogate as the fields hold it, and later pushes to its row land', async () => {
    // Hostile: the request's JSON escapes a lone surrogate, so the value text carries one raw.
    await ana.push(product(ana, 'p-lone', 'org-a'));
    for (const [column, value] of [
      ['name', '"a\ud800b"'],
      ['name', '"\udc00"'],
      ['name', '"c\udbff"'],
    ] as const) {
      const answer = await ana.push([{ table: 'products', rowId: 'p-lone', column, value, hlc: ana.hlc() }]);
      expect(answer.results[0]?.outcome, `${column} ${JSON.stringify(value)}`).not.toBe('rejected');
    }
    const applied = await ana.push([
      { table: 'products', rowId: 'p-lone', column: 'kind', value: '"domain"', hlc: ana.hlc() },
    ]);
    expect(applied.results[0]?.outcome).toBe('applied');
    const { folded, state } = await rowStates(hub.store);
    expect(state.get('products/p-lone')).toEqual(folded.get('products/p-lone'));
    expect(folded.get('products/p-lone')?.kind?.[0]).toBe('"domain"');
  }, 60_000);
});
