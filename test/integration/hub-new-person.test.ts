import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireChange } from '#common/sync/protocol';
import { enrolledDevice, type HubEngine, type TestDevice, type TestHub, startTestHub } from '../helpers/hub';
import { organization } from '../helpers/hub-fixtures';

// members.add logs the new person before the membership that puts them in the writer's
// scope, in one batch: the hub must take both, and still refuse people it already knows
// outside the writer's scope.

const stamp = {
  created_at: '2026-01-05T10:00:00.000Z',
  updated_at: '2026-01-05T10:00:00.000Z',
  deleted_at: null,
};
const person = (d: TestDevice, id: string, hlc?: string): WireChange[] =>
  d.row('people', id, { ...stamp, name: id, email: `${id}@example.test`, avatar: null }, hlc);
const membership = (d: TestDevice, org: string, personId: string, hlc?: string): WireChange[] =>
  d.row(
    'memberships',
    `${org}:${personId}`,
    { ...stamp, organization_id: org, person_id: personId, role: 'member', external: false },
    hlc,
  );
const outcomes = (r: { results: { outcome: string; reason: string | null }[] }) =>
  new Set(r.results.map((x) => (x.outcome === 'rejected' ? `rejected:${x.reason}` : x.outcome)));

describe.each<HubEngine>(['sqlite', 'postgres'])(
  'a new person pushed before their membership on %s',
  (engine) => {
    let hub: TestHub;
    let firm: TestDevice;
    let alice: TestDevice;
    let alice2: TestDevice;

    beforeAll(async () => {
      hub = await startTestHub(engine);
      firm = await enrolledDevice(hub.url, 'firm');
      await firm.push([
        ...organization(firm, 'mine'),
        ...organization(firm, 'theirs'),
        ...person(firm, 'known'),
        ...membership(firm, 'theirs', 'known'),
      ]);
      alice = await enrolledDevice(hub.url, 'alice', ['mine']);
      alice2 = await enrolledDevice(hub.url, 'alice');
    });
    afterAll(async () => {
      await hub?.cleanup();
    });

    it('takes the person and the membership, and another device of the organization receives both', async () => {
      const r = await alice.push([
        ...person(alice, 'newbie'),
        ...membership(alice, 'mine', 'newbie'),
        // A later edit of the person, before any membership landed on the hub.
        ...alice.row('people', 'newbie', { name: 'Newbie Renamed' }),
      ]);
      expect(outcomes(r)).toEqual(new Set(['applied']));
      const { changes } = await alice2.pullAll();
      const got = new Set(changes.map((c) => `${c.table}:${c.rowId}`));
      expect(got).toContain('people:newbie');
      expect(got).toContain('memberships:mine:newbie');
      expect(changes.findLast((c) => c.table === 'people' && c.column === 'name')?.value).toBe(
        JSON.stringify('Newbie Renamed'),
      );
    });

    it('still refuses a person the hub already knows outside the writer scope, even with a membership in the batch', async () => {
      const r = await alice.push([
        ...alice.row('people', 'known', { name: 'hijacked' }),
        ...membership(alice, 'mine', 'known'),
      ]);
      expect(r.results[0]).toMatchObject({ outcome: 'rejected', reason: 'out_of_scope' });
    });

    it('refuses a new person whose only membership is in an organization outside the writer scope', async () => {
      const r = await alice.push([...person(alice, 'stray'), ...membership(alice, 'theirs', 'stray')]);
      expect(outcomes(r)).toEqual(new Set(['rejected:out_of_scope']));
    });

    it('refuses a new person without a membership, and one whose membership in the batch is deleted', async () => {
      const alone = await alice.push(person(alice, 'alone'));
      expect(outcomes(alone)).toEqual(new Set(['rejected:out_of_scope']));
      const gone = await alice.push([
        ...person(alice, 'gone'),
        ...alice.row('memberships', 'mine:gone', {
          ...stamp,
          deleted_at: '2026-01-06T10:00:00.000Z',
          organization_id: 'mine',
          person_id: 'gone',
          role: 'member',
          external: false,
        }),
      ]);
      expect(gone.results[0]).toMatchObject({ outcome: 'rejected', reason: 'out_of_scope' });
    });
  },
);
