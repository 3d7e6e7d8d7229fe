// A backup is worth something only if it is intact when taken under load, and a restore only
// if it brings the old data back without ever being the way data is lost.
import { LOGO_MAX_BYTES } from '#common/logo';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationCount } from '#db/open';
import { expectConsistentHistory } from '../helpers/history';
import { count, inspect, integrity, type TestKontor, useTempSpace } from '../helpers/kontor';
import { seedOrganization } from '../helpers/seed';
import { disposeWriterCommand, startWriter } from '../helpers/writer-process';

const space = useTempSpace('kontor-backup-');
afterAll(() => disposeWriterCommand());

// A logo is stored in the row as a data URL: a few large organizations make the file span
// thousands of pages, so the online backup needs many steps while the writer keeps writing.
const LOGO = `data:image/png;base64,${Buffer.alloc(LOGO_MAX_BYTES, 7).toString('base64')}`;
const LOGO_ORGS = 20;

async function bulkyDatabase(k: TestKontor) {
  for (let i = 0; i < LOGO_ORGS; i++) {
    await k.ok('organizations.create', {
      kind: 'company',
      name: `Logo ${i}`,
      country: 'CH',
      currency: 'CHF',
      logo: LOGO,
    });
  }
  return seedOrganization(k, { products: 20 });
}

const orgNames = async (k: TestKontor) => (await k.ok('organizations.list', {})).map((o) => o.name).sort();

describe('system.backup', () => {
  it('yields an intact, consistent copy while another process writes in a loop', async () => {
    const k = space.kontor();
    await bulkyDatabase(k);
    const pages = k.raw.pragma('page_count', { simple: true }) as number;
    expect(pages).toBeGreaterThan(1_000);

    const writer = await startWriter(k.file, 77);
    try {
      await writer.acks(5);
      const outDir = space.dir();
      let writesDuringBackups = 0;
      for (let i = 0; i < 3; i++) {
        const acksBefore = writer.lines.filter((l) => l.kind === 'ack').length;
        const out = path.join(outDir, `copy-${i}.sqlite`);
        const started = performance.now();
        const result = await k.ok('system.backup', { out });
        const ms = performance.now() - started;
        const acksDuring = writer.lines.filter((l) => l.kind === 'ack').length - acksBefore;
        writesDuringBackups += acksDuring;
        expect(result.file).toBe(out);
        expect(result.bytes).toBe(fs.statSync(out).size);
        inspect(
          out,
          (db) => {
            expect(integrity(db)).toBe('ok');
            expect(db.pragma('foreign_key_check')).toEqual([]);
            expect(db.pragma('user_version', { simple: true })).toBe(migrationCount());
            expect(count(db, 'organizations', "name LIKE 'Logo %'")).toBe(LOGO_ORGS);
            // A snapshot of one moment: no half of a product's transaction in it.
            expectConsistentHistory(db, `backup ${i}`);
          },
          { readonly: true },
        );
        console.info(
          `[backup] copy ${i}: ${pages} pages in ${Math.round(ms)} ms, ${acksDuring} writes acknowledged meanwhile`,
        );
      }
      // The writer was really writing meanwhile, and still is.
      expect(writesDuringBackups).toBeGreaterThan(0);
      expect(writer.child.exitCode).toBeNull();
    } finally {
      writer.kill('SIGKILL');
      await writer.closed;
    }
  });

  it('refuses to write over the live database, which would lose every later change', async () => {
    const k = space.kontor();
    await seedOrganization(k, { products: 1 });
    for (const out of [
      k.file,
      `${k.file}-wal`,
      path.join(path.dirname(k.file), '.', path.basename(k.file)),
    ]) {
      await k.fails('system.backup', { out }, 'invalid_input');
    }
    // A hard link is the same file under another name.
    const link = path.join(path.dirname(k.file), 'alias.sqlite');
    fs.linkSync(k.file, link);
    await k.fails('system.backup', { out: link }, 'invalid_input');
    await k.ok('organizations.create', {
      kind: 'company',
      name: 'Written after',
      country: 'CH',
      currency: 'CHF',
    });
    const file = k.file;
    k.close();
    inspect(file, (db) => expect(count(db, 'organizations', "name = 'Written after'")).toBe(1));
  });
});

describe('system.restore', () => {
  it('brings the old data back, keeps a safety copy, and continues under a new device identity', async () => {
    const k = space.kontor();
    await seedOrganization(k, { name: 'Avant SA', products: 2 });
    const backupFile = path.join(space.dir(), 'monday.sqlite');
    await k.ok('system.backup', { out: backupFile });
    await k.ok('organizations.create', { kind: 'company', name: 'Après SA', country: 'CH', currency: 'CHF' });
    const oldDevice = (await k.ok('system.info', {})).deviceId;
    const lastBefore = k.raw.prepare('SELECT max(hlc) AS h FROM change_log').get() as { h: string };
    expect(await orgNames(k)).toEqual(['Après SA', 'Avant SA']);

    const result = await k.ok('system.restore', { file: backupFile });
    expect(result.restoredFrom).toBe(backupFile);
    expect(await orgNames(k)).toEqual(['Avant SA']);

    // The safety copy holds what was there just before.
    expect(fs.existsSync(result.safetyCopy)).toBe(true);
    inspect(
      result.safetyCopy,
      (db) => {
        expect(integrity(db)).toBe('ok');
        expect(count(db, 'organizations', "name = 'Après SA'")).toBe(1);
      },
      { readonly: true },
    );

    // A new identity, with the one the backup carried retired as "restored".
    const info = await k.ok('system.info', {});
    expect(info.deviceId).toBe(result.deviceId);
    expect(info.deviceId).not.toBe(oldDevice);
    const retired = k.raw.prepare('SELECT current, retired_reason FROM device WHERE id = ?').get(oldDevice);
    expect(retired).toEqual({ current: 0, retired_reason: 'restored' });

    // New changes carry the new identity, and sort after everything issued before the restore
    // (the fixed test clock has not moved: only the carried HLC can order them).
    const seq = (k.raw.prepare('SELECT max(seq) AS s FROM change_log').get() as { s: number }).s;
    await k.ok('organizations.create', { kind: 'company', name: 'Mardi SA', country: 'CH', currency: 'CHF' });
    const fresh = k.raw.prepare('SELECT hlc, device_id FROM change_log WHERE seq > ?').all(seq) as {
      hlc: string;
      device_id: string;
    }[];
    expect(fresh.length).toBeGreaterThan(0);
    for (const row of fresh) {
      expect(row.device_id).toBe(info.deviceId);
      expect(row.hlc > lastBefore.h).toBe(true);
    }
    expect(k.raw.prepare('SELECT DISTINCT device_id FROM activity WHERE hlc > ?').all(lastBefore.h)).toEqual([
      { device_id: info.deviceId },
    ]);
    expectConsistentHistory(k.raw, 'after restore');
  });

  async function refusedRestore(file: string, code: string) {
    const k = space.kontor();
    await seedOrganization(k, { name: 'Courante SA', products: 1 });
    const before = { names: await orgNames(k), device: (await k.ok('system.info', {})).deviceId };
    const dir = path.dirname(k.file);
    const filesBefore = fs.readdirSync(dir).sort();
    const error = await k.fails('system.restore', { file }, code, { locale: 'fr' });
    // Untouched, and still working.
    expect(await orgNames(k)).toEqual(before.names);
    expect((await k.ok('system.info', {})).deviceId).toBe(before.device);
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);
    await k.ok('organizations.create', {
      kind: 'company',
      name: 'Encore SA',
      country: 'CH',
      currency: 'CHF',
    });
    return error;
  }

  it('refuses a file that is not a database, and touches nothing', async () => {
    const junk = path.join(space.dir(), 'notes.sqlite');
    fs.writeFileSync(junk, 'SQLite format 3? no, a shopping list\n'.repeat(200));
    const error = await refusedRestore(junk, 'backup_unreadable');
    expect(error.message).toContain('n’est pas une base de données lisible par Kontor');
  });

  it('refuses a SQLite database that is not Kontor’s', async () => {
    const other = path.join(space.dir(), 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE recipes (id integer primary key, name text)');
    db.close();
    await refusedRestore(other, 'backup_not_kontor');
  });

  it('refuses a backup written by a newer Kontor', async () => {
    const donor = space.kontor();
    await seedOrganization(donor, { name: 'Futur SA', products: 1 });
    const newer = donor.file;
    donor.close();
    inspect(newer, (db) => db.pragma(`user_version = ${migrationCount() + 1}`));
    const error = await refusedRestore(newer, 'database_too_new');
    expect(error.message).toContain('version plus récente de Kontor');
  });

  it('refuses a file that does not exist', async () => {
    await refusedRestore(path.join(space.dir(), 'nowhere.sqlite'), 'backup_not_found');
  });
});
