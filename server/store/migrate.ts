import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, HubStore } from './types';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** A statement preceded by a line `-- postgres only` runs on PostgreSQL alone. */
const ONLY = /^\s*--\s*(postgres|sqlite) only\s*$/m;

export function hubMigrations(engine: Engine): { name: string; statements: string[] }[] {
  return fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({
      name,
      statements: fs
        .readFileSync(path.join(migrationsDir, name), 'utf8')
        .split(/;\s*$/m)
        .filter((s) => {
          const only = ONLY.exec(s)?.[1];
          return !only || only === engine;
        })
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter(Boolean),
    }));
}

/**
 * A database a newer hub already migrated holds state this build does not keep (since 006,
 * each row's JSON state, merged by every push): an older process writing to it would leave
 * that state behind its fields and serve stale snapshots without a word. It refuses to start
 * instead; an upgrade stops every old process before the new ones start (server/HUB.md).
 */
export class HubOlderThanDatabaseError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `this hub is older than its database: migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ` +
        'came from a newer hub. Run that version (or newer) on every hub process of this database.',
    );
    this.name = 'HubOlderThanDatabaseError';
  }
}

async function refuseNewerDatabase(store: HubStore, known: { name: string }[]): Promise<void> {
  const names = new Set(known.map((m) => m.name));
  const recorded = await store.read((sql) => sql.all<{ name: string }>('SELECT name FROM hub_migrations'));
  const unknown = recorded.map((r) => r.name).filter((name) => !names.has(name)).sort();
  if (unknown.length > 0) throw new HubOlderThanDatabaseError(unknown);
}

/**
 * Applies the migrations not yet recorded, each in its own transaction. Several hubs may
 * start at once against one PostgreSQL: a loser of the race on a DDL statement retries and
 * then finds the migration recorded.
 */
export async function migrate(store: HubStore): Promise<number> {
  let applied = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await store.write((sql) =>
        sql.run(
          'CREATE TABLE IF NOT EXISTS hub_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)',
        ),
      );
      const known = hubMigrations(store.engine);
      await refuseNewerDatabase(store, known);
      for (const m of known) {
        const done = await store.write(async (sql) => {
          const seen = await sql.all('SELECT name FROM hub_migrations WHERE name = ?', [m.name]);
          if (seen.length > 0) return false;
          for (const statement of m.statements) await sql.run(statement);
          await sql.run('INSERT INTO hub_migrations (name, applied_at) VALUES (?, ?)', [
            m.name,
            new Date().toISOString(),
          ]);
          await sql.run(
            "INSERT INTO hub_counters (name, value) VALUES ('seq', 0) ON CONFLICT (name) DO NOTHING",
          );
          return true;
        });
        if (done) applied++;
      }
      return applied;
    } catch (error) {
      if (error instanceof HubOlderThanDatabaseError || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
