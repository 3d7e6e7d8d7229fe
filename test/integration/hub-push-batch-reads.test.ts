import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { scopeKeptBy, scopeOf, scopeToJson } from '#server/scope';
import { enrolledDevice, type HubEngine, type TestDevice, type TestHub, startTestHub } from '../helpers/hub';
import { allocation, organization, partnership, product, stamp } from '../helpers/hub-fixtures';

// A push reads what its rows point at for the whole batch at its start (server/sync/push-parents.ts)
// and writes and re-reads the scope only after a write that can change it (scopeKeptBy). Both
// must decide exactly as reading each row when judged did: a parent created, pointed at and
// moved within the one push; two writes to one row in one push; and a tag link that does
// change a scope (a limited partner's allocated product) against one that does not.

function tag(device: TestDevice, id: string, organizationId: string): WireChange[] {
  return device.row('tags', id, { ...stamp, organization_id: organizationId, name: id, name_key: id, color: '#336699' });
}

function link(device: TestDevice, productId: string, tagId: string, extra: Record<string, unknown> = {}, hlc?: string) {
  return device.row(
    'product_tags',
    `${productId}:${tagId}`,
    { ...stamp, product_id: productId, tag_id: tagId, ...extra },
    hlc,
  );
}

describe.each<HubEngine>(['sqlite', 'postgres'])('a push reads per batch on %s', (engine) => {
  let hub: TestHub;
  let firm: TestDevice;
  let user: TestDevice;

  beforeAll(async () => {
    hub = await startTestHub(engine);
    firm = await enrolledDevice(hub.url, 'firm');
    const setup = await firm.push([
      ...['a', 'b', 'partner'].flatMap((o) => organization(firm, o)),
      ...['a-1', 'a-2', 'a-moved'].flatMap((p) => product(firm, p, 'a')),
      ...['b-1', 'b-alloc'].flatMap((p) => product(firm, p, 'b')),
      ...tag(firm, 'tag-a', 'a'),
      ...tag(firm, 'tag-b', 'b'),
      ...partnership(firm, 'partner-b', 'partner', 'b', 'limited', null),
      ...allocation(firm, 'partner-b', 'b-alloc'),
    ]);
    expect(setup.results.every((r) => r.outcome === 'applied')).toBe(true);
    user = await enrolledDevice(hub.url, 'user-a', ['a']);
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('judges a row by the parent as the batch leaves it, and a stored parent outside the scope', async () => {
    const created = product(user, 'a-new', 'a');
    const linked = link(user, 'a-new', 'tag-a');
    const foreign = link(user, 'b-1', 'tag-a');
    const stored = link(user, 'a-1', 'tag-a');
    // One row written twice: created, then taken off again by a later write of the device.
    const twice = [...link(user, 'a-2', 'tag-a'), ...link(user, 'a-2', 'tag-a', { deleted_at: stamp.created_at })];
    const all = [...created, ...linked, ...foreign, ...stored, ...twice];
    const res = await user.push(all);
    // Each write's answers, one per distinct outcome and reason.
    const outcome = (changes: WireChange[]) => [
      ...new Set(changes.map((c) => `${res.results[all.indexOf(c)]!.outcome} ${res.results[all.indexOf(c)]!.reason}`)),
    ];
    expect(outcome(created)).toEqual(['applied null']);
    expect(outcome(linked)).toEqual(['applied null']);
    expect(outcome(foreign)).toEqual(['rejected out_of_scope']);
    expect(outcome(stored)).toEqual(['applied null']);
    expect(outcome(twice)).toEqual(['applied null']);
    const rows = await hub.store.read((sql) =>
      sql.all<{ row_id: string; org_id: string | null; live: number }>(
        "SELECT row_id, org_id, live FROM hub_rows WHERE table_name = 'product_tags' ORDER BY row_id",
      ),
    );
    expect(rows.map((r) => [r.row_id, r.org_id, Number(r.live)])).toEqual([
      ['a-1:tag-a', 'a', 1],
      ['a-2:tag-a', 'a', 0],
      ['a-new:tag-a', 'a', 1],
    ]);
  });

  it('files a link by where its product moves in the same push, before and after the move', async () => {
    // The product moves to b (the firm's, both in its scope): a link written before the move
    // in the push, and one after, both follow the product.
    const before = link(firm, 'a-moved', 'tag-a');
    const move = [{ table: 'products', rowId: 'a-moved', column: 'organization_id', value: '"b"', hlc: firm.hlc() }];
    const after = link(firm, 'a-moved', 'tag-b');
    const res = await firm.push([...before, ...move, ...after]);
    expect(new Set(res.results.map((r) => r.outcome))).toEqual(new Set(['applied']));
    const rows = await hub.store.read((sql) =>
      sql.all<{ row_id: string; org_id: string | null }>(
        "SELECT row_id, org_id FROM hub_rows WHERE table_name = 'product_tags' AND product_id = 'a-moved' ORDER BY row_id",
      ),
    );
    expect(rows.map((r) => [r.row_id, r.org_id])).toEqual([
      ['a-moved:tag-a', 'b'],
      ['a-moved:tag-b', 'b'],
    ]);
    // The user of a alone no longer writes a link of it: its product is b's now.
    const late = await user.push(link(user, 'a-moved', 'tag-a', { deleted_at: stamp.created_at }));
    expect(late.results.map((r) => r.reason)).toContain('out_of_scope');
  });

  it('keeps a scope only when a tag link cannot change it (scopeKeptBy against scopeOf)', async () => {
    await enrolledDevice(hub.url, 'user-partner', ['partner']);
    const [partnerUser] = await hub.store.read((sql) =>
      sql.all<{ id: string }>("SELECT id FROM hub_users WHERE name = 'user-partner'"),
    );
    const scopeNow = () => hub.store.read((sql) => scopeOf(sql, partnerUser!.id));
    const before = await scopeNow();
    expect([...before.limitedProducts]).toEqual(['b-alloc']);
    expect([...before.tags]).toEqual([]);
    // A link of a product the partner does not see: kept, and reading the scope again agrees.
    expect(scopeKeptBy(before, 'product_tags', null, { productId: 'b-1' })).toBe(true);
    await firm.push(link(firm, 'b-1', 'tag-b'));
    expect(scopeToJson(await scopeNow())).toEqual(scopeToJson(before));
    // A link of the allocated product: not kept, and indeed the partner now sees the tag.
    expect(scopeKeptBy(before, 'product_tags', null, { productId: 'b-alloc' })).toBe(false);
    expect(scopeKeptBy(before, 'product_tags', { productId: 'b-alloc' }, { productId: 'b-1' })).toBe(false);
    await firm.push(link(firm, 'b-alloc', 'tag-b'));
    expect([...(await scopeNow()).tags]).toEqual(['tag-b']);
    // Every other table whose rows move a scope is read again.
    expect(scopeKeptBy(before, 'partnership_products', null, { productId: 'b-1' })).toBe(false);
  });
});
