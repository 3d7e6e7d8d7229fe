import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '#server/store/postgres.store';
import { openSqliteStore } from '#server/store/sqlite.store';
import { hubMigrations, migrate } from '#server/store/migrate';
import { type HubEngine, hubPlace } from '../helpers/hub';
import { rowStates } from '../helpers/hub-row-state';

// A hub that ran before migration 006 holds rows without their JSON state: the migration
// derives it from hub_fields for every row, so its first snapshot after the upgrade is already
// a plain scan. Checked against the fold of hub_fields computed in JavaScript, with the text a
// database escapes (quotes, backslashes, control characters, characters outside the BMP).

const AWKWARD = JSON.stringify('a "quoted" \\ back\nslash\ttab \u0001 \u2028 é 日本 😀 </script>');

describe.each<HubEngine>(['sqlite', 'postgres'])('hub migration 006 on %s', (engine) => {
  it('derives every existing row’s JSON state from its fields', async () => {
    const place = await hubPlace(engine);
    // The store as it is, unmigrated (openHubStore would bring it to the newest schema).
    const store = place.postgresUrl ? openPostgresStore(place.postgresUrl) : openSqliteStore(place.dataDir!);
    try {
      const before = hubMigrations(store.engine).filter((m) => m.name < '006');
      expect(before.map((m) => m.name)).toEqual([
        '001_hub.sql',
        '002_epochs.sql',
        '003_authority.sql',
        '004_no_global_lock.sql',
        '005_retention.sql',
      ]);
      await store.write(async (sql) => {
        await sql.run(
          'CREATE TABLE hub_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)',
        );
        for (const m of before) {
          for (const statement of m.statements) await sql.run(statement);
          await sql.run('INSERT INTO hub_migrations (name, applied_at) VALUES (?, ?)', [m.name, 'then']);
        }
        // 300 products of 4 fields, an organization, and a row without any field.
        for (let i = 0; i < 300; i++) {
          const id = `p-${String(i).padStart(4, '0')}`;
          await sql.run(
            "INSERT INTO hub_rows (table_name, row_id, org_id, live, first_seq) VALUES ('products', ?, 'org-1', 1, ?)",
            [id, i + 1],
          );
          for (const [column, value] of [
            ['name', i === 7 ? AWKWARD : JSON.stringify(`p ${i}`)],
            ['organization_id', '"org-1"'],
            ['public_price_minor', String(i * 10)],
            ['billing_address_id', null],
          ] as const)
            await sql.run(
              "INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ('products', ?, ?, ?, ?, ?)",
              [id, column, value, `0017${String(i).padStart(11, '0')}:000000:dev`, i + 1],
            );
        }
        await sql.run(
          "INSERT INTO hub_rows (table_name, row_id, org_id, live, first_seq) VALUES ('organizations', 'org-1', 'org-1', 1, 1)",
        );
        await sql.run(
          "INSERT INTO hub_fields (table_name, row_id, column_name, value, hlc, seq) VALUES ('organizations', 'org-1', 'name', '\"One\"', 'h', 1)",
        );
        await sql.run(
          "INSERT INTO hub_rows (table_name, row_id, org_id, live, first_seq) VALUES ('tags', 'bare', 'org-1', 1, 1)",
        );
      });
      expect(await migrate(store)).toBe(hubMigrations(store.engine).length - before.length);
      const { folded, state } = await rowStates(store);
      expect(folded.size).toBe(301);
      for (const [k, fields] of folded) expect(state.get(k), k).toEqual(fields);
      expect(JSON.parse(state.get('products/p-0007')!.name![0]!)).toBe(JSON.parse(AWKWARD));
      // A row without fields has none to serve (the snapshot leaves it out, as before).
      expect([null, {}]).toContainEqual(state.get('tags/bare'));
    } finally {
      await store.close();
      await place.cleanup();
    }
  }, 60_000);
});
