import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { enrolledDevice, type HubEngine, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { mergeFieldsJson } from '#server/sync/row-state';
import { deriveRowState } from '../helpers/hub-row-state';

// The snapshot's rows come as each row's JSON state (hub_rows.fields_json: kept by the push, the
// database merging what it wrote; derived by the database's fold of hub_fields where it was
// not, HubStore.fieldsJson: json_group_object on SQLite, json_object_agg on PostgreSQL) in
// chunks of 500 rows. Whatever the engine escapes, on whichever path, and wherever a chunk or
// a page ends, every visible row must arrive once with exactly the fields the hub holds:
// compared here with hub_fields read directly.

// Everything a JSON writer may get wrong: quotes, backslashes, control characters, line and
// paragraph separators, characters outside the BMP, a value that looks like JSON.
const AWKWARD = 'a "quoted" \\ back\nslash\ttab \u0001 \u2028\u2029 é 日本 😀 {"not":"json"} </script>';
const PRODUCTS = 1_310;
// Row ids a JSON writer must escape or keep as they are (the push refuses control characters):
// PostgreSQL writes a line's row id with to_json, SQLite's hub with JSON.stringify.
const AWKWARD_IDS = ['p-"quoted"', 'p-back\\slash', 'p-é日本😀', 'p-\u2028\u2029', 'p-</script>'];
// Rows without a field (nothing to send, the walk goes past them): at a chunk's start, inside
// it, at its end (chunks of 500 rows: SQLite's, and PostgreSQL's first before it sizes them
// by bytes, so there the rest of the table is a second chunk of another size) and at the table's end.
const FIELDLESS = ['p-00000a', 'p-00250a', 'p-00498a', 'p-00499a', 'p-00998a', 'p-01309a'];

type Fields = SnapshotRow['fields'];

describe.each<HubEngine>(['sqlite', 'postgres'])('snapshot rows on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let expected: Map<string, Fields>;
  beforeAll(async () => {
    hub = await startTestHub(engine);
    device = await enrolledDevice(hub.url, 'ana');
    await device.push(organization(device, 'org-snap'));
    const ids = Array.from({ length: PRODUCTS }, (_, i) => `p-${String(i).padStart(5, '0')}`);
    for (let at = 0; at < ids.length; at += 1_000)
      await device.push(ids.slice(at, at + 1_000).flatMap((id) => product(device, id, 'org-snap')));
    await device.push(AWKWARD_IDS.flatMap((id) => product(device, id, 'org-snap')));
    for (const id of FIELDLESS)
      await hub.store.write((sql) =>
        sql.run(
          "INSERT INTO hub_rows (table_name, row_id, org_id, live, first_seq) VALUES ('products', ?, 'org-snap', 1, 0)",
          [id],
        ),
      );
    // Straight into the store: a name with control characters is refused at push (value_invalid),
    // and what is tested is how the hub serves any text it holds (a multi-line note, a value a
    // newer schema let through). Three rows, one per path to a row's JSON state: p-00007's
    // derived by the database's fold (as migration 006 derives it), p-00008's never derived (a
    // snapshot folds it when read), p-00009's merged in as a push merges what it wrote.
    const changed = await hub.store.write((sql) =>
      sql.run(
        "UPDATE hub_fields SET value = ? WHERE table_name = 'products' AND row_id IN ('p-00007', 'p-00008', 'p-00009') AND column_name = 'name'",
        [JSON.stringify(AWKWARD)],
      ),
    );
    expect(changed).toBe(3);
    expect(await deriveRowState(hub.store, "r.table_name = 'products' AND r.row_id = 'p-00007'")).toBe(1);
    await hub.store.write(async (sql) => {
      await sql.run(
        "UPDATE hub_rows SET fields_json = NULL WHERE table_name = 'products' AND row_id = 'p-00008'",
      );
      const hlc = await sql.all<{ hlc: string }>(
        "SELECT hlc FROM hub_fields WHERE table_name = 'products' AND row_id = 'p-00009' AND column_name = 'name'",
      );
      await sql.run(
        `INSERT INTO hub_rows (table_name, row_id, live, first_seq, fields_json) VALUES ('products', 'p-00009', 1, 0, ?)
         ON CONFLICT (table_name, row_id) DO UPDATE SET ${mergeFieldsJson(engine)}`,
        [JSON.stringify({ name: [JSON.stringify(AWKWARD), hlc[0]!.hlc] })],
      );
    });
    const fields = await hub.store.read((sql) =>
      sql.all<{ table_name: string; row_id: string; column_name: string; value: string | null; hlc: string }>(
        'SELECT table_name, row_id, column_name, value, hlc FROM hub_fields',
      ),
    );
    expected = new Map();
    for (const f of fields) {
      const k = `${f.table_name}/${f.row_id}`;
      const row = expected.get(k) ?? {};
      row[f.column_name] = [f.value, f.hlc];
      expected.set(k, row);
    }
  }, 120_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  function check(rows: SnapshotRow[]) {
    const seen = new Map<string, Fields>();
    for (const r of rows) {
      const k = `${r.table}/${r.rowId}`;
      expect(seen.has(k), `${k} twice`).toBe(false);
      seen.set(k, r.fields);
    }
    expect(seen.size).toBe(PRODUCTS + AWKWARD_IDS.length + 1);
    expect(seen).toEqual(expected);
    for (const id of ['p-00007', 'p-00008', 'p-00009'])
      expect(JSON.parse(seen.get(`products/${id}`)!.name![0]!)).toBe(AWKWARD);
  }

  it('pages of JSON: every row once, its fields exactly as the hub holds them', async () => {
    // 300 a page against 500 a chunk: pages end inside chunks and chunks inside pages.
    const { rows } = await device.snapshot(300);
    check(rows);
  });

  it('NDJSON pages bounded by bytes: every line a whole row, every row once', async () => {
    const rows: SnapshotRow[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({ limit: '1000000', maxBytes: '60000', ...(after ? { after } : {}) });
      const r = await fetch(`${hub.url}/v1/sync/snapshot?${q}`, {
        headers: { authorization: `Bearer ${device.token}`, accept: 'application/x-ndjson' },
      });
      expect(r.status).toBe(200);
      const lines = (await r.text()).trimEnd().split('\n');
      const end = JSON.parse(lines.at(-1)!) as { end: boolean; next: string | null };
      expect(end.end).toBe(true);
      for (const line of lines.slice(1, -1)) {
        const row = JSON.parse(line) as SnapshotRow;
        // The line as the hub writes it around the fields: the same bytes on both stores.
        const head = `{"table":${JSON.stringify(row.table)},"rowId":${JSON.stringify(row.rowId)},"fields":{`;
        expect(line.slice(0, head.length)).toBe(head);
        rows.push(row);
      }
      after = end.next;
      pages++;
    } while (after);
    expect(pages).toBeGreaterThan(3);
    check(rows);
  });
});
