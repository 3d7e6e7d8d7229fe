import { isUtf8 } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotRow } from '#common/sync/protocol';
import { enrolledDevice, startTestHub, type TestDevice, type TestHub } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';

// SQLite's snapshot reads each row's state as bytes (server/sync/snapshot-lines.ts
// sqliteChunk). A lone UTF-16 surrogate in a stored value (hostile: JSON allows its escape) is
// three bytes that are not UTF-8 in SQLite's file; a row never derived folds its fields on
// read, so those bytes would reach the response as they are. The hub serves them as it did
// when it read text — each bad sequence a U+FFFD — and the response stays UTF-8.

describe('snapshot bytes on SQLite', () => {
  let hub: TestHub;
  let device: TestDevice;
  beforeAll(async () => {
    hub = await startTestHub('sqlite');
    device = await enrolledDevice(hub.url, 'ana');
    await device.push(organization(device, 'org-utf8'));
    await device.push(product(device, 'p-lone', 'org-utf8'));
    await hub.store.write(async (sql) => {
      await sql.run(
        "UPDATE hub_fields SET value = ? WHERE table_name = 'products' AND row_id = 'p-lone' AND column_name = 'name'",
        ['"a\ud800b"'],
      );
      // Never derived: the state is folded from hub_fields as the snapshot reads it.
      await sql.run(
        "UPDATE hub_rows SET fields_json = NULL WHERE table_name = 'products' AND row_id = 'p-lone'",
      );
    });
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('serves a value holding a lone surrogate as UTF-8, three U+FFFD where its bytes were', async () => {
    const r = await fetch(`${hub.url}/v1/sync/snapshot?limit=1000`, {
      headers: { authorization: `Bearer ${device.token}`, accept: 'application/x-ndjson' },
    });
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(isUtf8(bytes)).toBe(true);
    const rows = bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .slice(1, -1)
      .map((l) => JSON.parse(l) as SnapshotRow);
    const name = rows.find((row) => row.rowId === 'p-lone')?.fields.name?.[0];
    expect(name).toBe(JSON.stringify('a\ufffd\ufffd\ufffdb'));
  });
});
