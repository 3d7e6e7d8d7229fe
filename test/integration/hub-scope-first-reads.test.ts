import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubStore } from '#server/main';
import { linksAndFirstReads, scopeOf, scopeToJson, splitLinks } from '#server/scope';
import type { HubStore } from '#server/store/types';
import { type HubEngine, hubPlace } from '../helpers/hub';

// The scope's first reads (partnerships, the member organizations' invoice sides, their
// people) travel in one UNION ALL for up to 500 member organizations and in chunked reads
// beyond (server/scope.ts firstReads): both paths must give the same scope. A user linked to
// 3 and to 600 organizations of one shape, on both stores.

describe.each<HubEngine>(['sqlite', 'postgres'])(
  'the scope of a user with many organizations on %s',
  (engine) => {
    let store: HubStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const place = await hubPlace(engine);
      cleanup = place.cleanup;
      store = await openHubStore(place);
      await store.write(async (sql) => {
        const row = (table: string, id: string, keys: Partial<Record<string, string>>, live = 1) =>
          sql.run(
            `INSERT INTO hub_rows (table_name, row_id, org_id, org2_id, product_id, ref_id, status, access, live, first_seq)
           VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 1)`,
            [
              table,
              id,
              keys.org ?? null,
              keys.org2 ?? null,
              keys.ref ?? null,
              keys.status ?? null,
              keys.access ?? null,
              live,
            ],
          );
        for (let i = 0; i < 600; i++) {
          // Each organization: a person, an invoice to an outside payer, a complete-access client
          // with its own person, and an ended membership that must not count.
          await row('memberships', `m-${i}`, { org: `o-${i}`, ref: `person-${i}` });
          await row('memberships', `m-gone-${i}`, { org: `o-${i}`, ref: `gone-${i}` }, 0);
          await row('invoices', `inv-${i}`, { org: `o-${i}`, org2: `payer-${i}` });
          await row('partnerships', `ps-${i}`, {
            org: `client-${i}`,
            org2: `o-${i}`,
            status: 'active',
            access: 'complete',
          });
          await row('memberships', `mc-${i}`, { org: `client-${i}`, ref: `client-person-${i}` });
          // The partnerships read are those touching a member organization, then the full
          // clients' own: the client's ended partnership with another firm is seen (its rows
          // are the client's), the organization's own provider too, a stranger's never.
          await row('partnerships', `ps-firm-${i}`, {
            org: `client-${i}`,
            org2: `firm-${i}`,
            status: 'ended',
            access: 'limited',
          });
          await row('partnerships', `ps-provider-${i}`, {
            org: `o-${i}`,
            org2: `provider-${i}`,
            status: 'active',
            access: 'limited',
          });
          await row('partnerships', `ps-stranger-${i}`, {
            org: `stranger-${i}`,
            org2: `firm-${i}`,
            status: 'active',
            access: 'complete',
          });
        }
      });
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    for (const count of [3, 600]) {
      it(`reads the same scope through ${count <= 500 ? 'one statement' : 'chunked reads'} (${count} organizations)`, async () => {
        const linked = new Set(Array.from({ length: count }, (_, i) => `o-${i}`));
        const scope = await store.read((sql) => scopeOf(sql, 'u', linked));
        const each = (f: (i: number) => string) => Array.from({ length: count }, (_, i) => f(i)).sort();
        expect([...scope.people].sort()).toEqual(
          [...each((i) => `person-${i}`), ...each((i) => `client-person-${i}`)].sort(),
        );
        expect([...scope.full].sort()).toEqual(
          [...each((i) => `o-${i}`), ...each((i) => `client-${i}`)].sort(),
        );
        for (const i of [0, count - 1]) {
          expect(scope.related.has(`payer-${i}`)).toBe(true);
          expect(scope.related.has(`client-${i}`)).toBe(true);
        }
        for (const i of [0, count - 1]) {
          expect(scope.related.has(`firm-${i}`)).toBe(true);
          expect(scope.related.has(`provider-${i}`)).toBe(true);
          expect(scope.related.has(`stranger-${i}`)).toBe(false);
          expect(scope.full.has(`stranger-${i}`)).toBe(false);
        }
        expect(scope.related.has(`firm-${count}`)).toBe(false);
        expect(scope.related.has(`payer-${count}`)).toBe(false);
        expect(scope.people.has('gone-0')).toBe(false);
      });
    }

    // A push's opening on PostgreSQL reads the user's links and the first reads over them in one
    // statement (server/scope.ts linksAndFirstReads, server/sync/push-opening.ts): the same scope.
    it.runIf(engine === 'postgres')('reads the same links and scope in a push opening’s one statement', async () => {
      await store.write(async (sql) => {
        for (let i = 0; i < 600; i++)
          await sql.run(
            'INSERT INTO hub_user_orgs (user_id, organization_id, created_at, created) VALUES (?, ?, ?, ?)',
            ['u-linked', `o-${i}`, '2026-01-01T00:00:00.000Z', i % 2],
          );
      });
      const s = linksAndFirstReads('u-linked');
      const { links, first } = splitLinks(await store.read((sql) => sql.all(s.text, s.params)));
      expect(links.map((l) => l.organization_id).sort()).toEqual(
        Array.from({ length: 600 }, (_, i) => `o-${i}`).sort(),
      );
      expect(links.filter((l) => l.created === 1)).toHaveLength(300);
      const linked = new Set(links.map((l) => l.organization_id));
      const once = await store.read((sql) => scopeOf(sql, 'u-linked', linked, first));
      const read = await store.read((sql) => scopeOf(sql, 'u-linked'));
      expect(scopeToJson(once)).toEqual(scopeToJson(read));
      expect(once.full.size).toBe(1200);
      // A user with no link reads nothing.
      const none = linksAndFirstReads('u-nobody');
      expect(await store.read((sql) => sql.all(none.text, none.params))).toEqual([]);
    });
  },
);
