// SYNC.md: "A database that is restored or copied to another machine gets a new device
// identity, so it never reuses a series." Every HLC timestamp ends with the device id, so two
// copies writing under one id could issue the same timestamp for different changes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHlc } from '#db/sync/hlc';
import { FixedClock, openTestKontor, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-device-');

interface DeviceRow {
  id: string;
  current: number;
  created_at: string;
  last_hlc: string;
  retired_at: string | null;
  retired_reason: string | null;
}

const devices = (k: TestKontor) =>
  k.raw.prepare('SELECT * FROM device ORDER BY created_at, current').all() as DeviceRow[];

async function someWrites(k: TestKontor, label: string) {
  const org = await k.ok('organizations.create', {
    kind: 'company',
    name: `Org ${label}`,
    country: 'CH',
    currency: 'CHF',
  });
  const tag = await k.ok('tags.create', { organizationId: org.id, name: `tag ${label}` });
  await k.ok('tags.rename', { tagId: tag.id, name: `renamed ${label}` });
  return org.id;
}

describe('device identity', () => {
  it('is created once for a new file and kept across restarts at the same path', async () => {
    const file = space.file();
    const first = openTestKontor({ file });
    const info = await first.ok('system.info', {});
    expect(info.deviceId).toMatch(/^[0-9a-f]{16}$/);
    await someWrites(first, 'a');
    first.close();
    const again = openTestKontor({ file });
    expect((await again.ok('system.info', {})).deviceId).toBe(info.deviceId);
    expect(devices(again)).toHaveLength(1);
    again.close();
  });

  it('rotates when the file is copied to another path; the old identity is retired as "moved"', async () => {
    const original = space.file('original.sqlite');
    const a = openTestKontor({ file: original, now: '2026-03-15T10:00:00.000Z' });
    await someWrites(a, 'before copy');
    const oldId = a.kontor.ctx().deviceId;
    const oldLastHlc = (devices(a)[0] as DeviceRow).last_hlc;
    a.close();

    const copy = path.join(space.dir(), 'copied.sqlite');
    fs.copyFileSync(original, copy);
    // The copy is opened on a machine whose clock is an hour behind.
    const b = openTestKontor({ file: copy, now: '2026-03-15T09:00:00.000Z' });
    const newId = (await b.ok('system.info', {})).deviceId;
    expect(newId).not.toBe(oldId);
    const rows = devices(b);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === oldId)).toMatchObject({
      current: 0,
      retired_reason: 'moved',
      retired_at: '2026-03-15T09:00:00.000Z',
    });
    expect(rows.find((r) => r.id === newId)).toMatchObject({ current: 1, retired_at: null });

    // Its clock continues after the old identity's last timestamp, despite the wall clock.
    const seqBefore = (b.raw.prepare('SELECT max(seq) AS s FROM change_log').get() as { s: number }).s;
    await someWrites(b, 'after copy');
    const fresh = b.raw
      .prepare('SELECT hlc, device_id FROM change_log WHERE seq > ? ORDER BY seq')
      .all(seqBefore) as {
      hlc: string;
      device_id: string;
    }[];
    expect(fresh.length).toBeGreaterThan(0);
    for (const row of fresh) {
      expect(row.device_id).toBe(newId);
      expect(parseHlc(row.hlc).deviceId).toBe(newId);
      expect(row.hlc > oldLastHlc).toBe(true);
    }
    const activityDevices = b.raw
      .prepare('SELECT DISTINCT device_id FROM activity WHERE hlc > ?')
      .all(oldLastHlc);
    expect(activityDevices).toEqual([{ device_id: newId }]);
    b.close();

    // Each file keeps its own identity from now on.
    const a2 = openTestKontor({ file: original });
    expect(a2.kontor.ctx().deviceId).toBe(oldId);
    expect(devices(a2)).toHaveLength(1);
    a2.close();
    const b2 = openTestKontor({ file: copy });
    expect(b2.kontor.ctx().deviceId).toBe(newId);
    expect(devices(b2)).toHaveLength(2);
    b2.close();
  });

  it('keeps HLC timestamps unique and rising when two connections write to one file (the app and the CLI)', async () => {
    const file = space.file();
    // Both processes read the same stalled wall clock: only the counter can order their writes.
    const app = openTestKontor({ file, clock: new FixedClock('2026-03-15T10:00:00.000Z') });
    const cli = openTestKontor({ file, clock: new FixedClock('2026-03-15T10:00:00.000Z') });
    expect(cli.kontor.ctx().deviceId).toBe(app.kontor.ctx().deviceId);
    for (let i = 0; i < 5; i++) {
      await someWrites(i % 2 === 0 ? app : cli, `round ${i}`);
      await someWrites(i % 2 === 0 ? cli : app, `round ${i} bis`);
    }
    const activity = app.raw.prepare('SELECT hlc FROM activity').all() as { hlc: string }[];
    expect(new Set(activity.map((r) => r.hlc)).size).toBe(activity.length);
    const log = app.raw.prepare('SELECT hlc FROM change_log ORDER BY seq').all() as { hlc: string }[];
    expect(log.every((r, i) => i === 0 || log[i - 1]!.hlc <= r.hlc)).toBe(true);
    app.close();
    cli.close();
  });
});
