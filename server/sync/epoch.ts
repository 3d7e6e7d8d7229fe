import crypto from 'node:crypto';
import type { HubEpoch } from '#common/sync/protocol';
import type { HubStore, Sql, SqlRow, Statement } from '../store/types';
import { headSeq } from './pull';

// The hub's epoch (SYNC.md "Hub restored from a backup"): a new one each time the hub starts,
// based on the head it starts with. A hub cannot tell a restored store from a restarted one,
// so every start counts; for a device whose acknowledged changes all lie at or below the
// base, a new epoch costs nothing.

export async function startEpoch(store: HubStore, now: number): Promise<HubEpoch> {
  // Hub processes starting together on one PostgreSQL (nothing orders them any more: no
  // global lock) may both read the same last number: the loser of the key takes the next.
  for (;;) {
    const epoch = await store.write(async (sql) => {
      // The settled head: a push in flight elsewhere commits above it, and what a device was
      // acknowledged above the base it re-sends (duplicates, never a loss).
      const head = await headSeq(sql);
      const last = await sql.all<{ n: number }>('SELECT max(n) AS n FROM hub_epochs');
      const epoch = { id: crypto.randomUUID(), baseSeq: head };
      const added = await sql.run(
        'INSERT INTO hub_epochs (n, id, base_seq, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (n) DO NOTHING',
        [Number(last[0]?.n ?? 0) + 1, epoch.id, head, new Date(now).toISOString()],
      );
      return added === 1 ? epoch : null;
    });
    if (epoch) return epoch;
  }
}

/** The current epoch's read, and the epoch its rows say (a push reads it in its COMMIT's round trip). */
export const CURRENT_EPOCH: Statement = { text: 'SELECT id, base_seq FROM hub_epochs ORDER BY n DESC LIMIT 1', params: [] };
export function epochOf(rows: readonly SqlRow[]): HubEpoch | null {
  return rows[0] ? { id: String(rows[0].id), baseSeq: Number(rows[0].base_seq) } : null;
}

export async function currentEpoch(sql: Sql): Promise<HubEpoch | null> {
  return epochOf(await sql.all(CURRENT_EPOCH.text, CURRENT_EPOCH.params));
}
