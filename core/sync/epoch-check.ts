import type { RawDb } from '#db/open';
import type { HubClient } from './hub-client';
import { readHubEpoch, readSyncState, writeHubEpoch, writeSyncState } from './state';

// A hub restored from an older backup (SYNC.md "Hub restored from a backup"), as the device
// sees it at the start of each round: a new epoch, or a head below its cursor.

/**
 * A hub restored from an older backup comes back with a new epoch: its head may since have
 * passed our cursor with other changes, so comparing the two is not enough. What it
 * acknowledged to us beyond the epoch's base goes back in the outbox (the hub answers
 * what it still has as duplicates), and we read again from the base. Returns how many
 * changes went back.
 */
export async function checkEpoch(raw: RawDb, client: HubClient): Promise<number> {
  // The stored address list names the hub: its processes share one database and one epoch.
  const hubUrl = readSyncState(raw).hubUrl as string;
  const { epoch } = await client.health();
  if (!epoch) return 0;
  const saved = readHubEpoch(raw, hubUrl);
  return raw.transaction(() => {
    const back = saved !== null && saved !== epoch.id ? rewind(raw, epoch.baseSeq) : 0;
    writeHubEpoch(raw, hubUrl, epoch.id);
    return back;
  })();
}

/** Our changes the hub acknowledged beyond its current end go back into the outbox. */
export function rewind(raw: RawDb, hubEnd: number): number {
  return raw.transaction(() => {
    const own = raw
      .prepare(
        `UPDATE change_log SET hub_seq = NULL
         WHERE hub_seq > ? AND device_id IN (SELECT id FROM device)`,
      )
      .run(hubEnd).changes;
    const state = readSyncState(raw);
    writeSyncState(raw, {
      cursor: Math.min(state.cursor, hubEnd),
      // A snapshot's position in the old epoch means nothing in the new one.
      ...(state.needsSnapshot ? { snapshotNext: null, snapshotAsOf: null } : {}),
    });
    return own;
  })();
}
