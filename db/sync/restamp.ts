import { tablesWithRole } from './tables';
import type { RawDb } from '../open';
import { formatHlc, type Hlc } from './hlc';

// One change stamped in the future (the wall clock was a day ahead for a moment) must not
// block the whole outbox: the hub refuses a batch with any change more than 5 minutes ahead
// of its clock, and since the HLC never goes back, every change written after it is stamped
// as far ahead. Once the clock is right again, this device's unsent changes stamped beyond
// it are stamped again, in their order, from the newest timestamp that is not in the future:
// only their weight in last-writer-wins changes (nobody has seen them), never their content.

const AHEAD_MS = 4 * 60_000;

export function restampFuture(raw: RawDb, hlc: Hlc, deviceId: string, nowMs: number): number {
  const limit = formatHlc({ wallMs: nowMs + AHEAD_MS, counter: 0, deviceId: '' });
  // The common case first, from the outbox alone (change_log_outbox_idx): nothing unsent is
  // stamped in the future. The floor below reads the whole log: only when there is work.
  if (
    raw.prepare('SELECT 1 FROM change_log WHERE hub_seq IS NULL AND hlc > ? LIMIT 1').get(limit) === undefined
  )
    return 0;
  // Never before what this device has received or had acknowledged: a change written after
  // seeing another device's (even a future one) stays after it.
  const floor =
    (raw.prepare('SELECT max(hlc) FROM change_log WHERE hub_seq > 0 OR hlc <= ?').pluck().get(limit) as
      | string
      | null) ?? formatHlc({ wallMs: nowMs, counter: 0, deviceId });
  const future = raw
    .prepare('SELECT DISTINCT hlc FROM change_log WHERE hub_seq IS NULL AND hlc > ? AND hlc > ? ORDER BY hlc')
    .pluck()
    .all(limit, floor) as string[];
  if (future.length === 0) return 0;
  return raw.transaction(() => {
    raw.prepare('INSERT OR IGNORE INTO sync_guard (id) VALUES (1)').run();
    hlc.rewindTo(floor);
    // With the write's local-only entries (derived values, hub_seq 0) at the same timestamp.
    const moveLog = raw.prepare(
      'UPDATE change_log SET hlc = ? WHERE hlc = ? AND (hub_seq IS NULL OR hub_seq = 0)',
    );
    const wholeRows = raw.prepare(
      "SELECT seq, value FROM change_log WHERE hlc = ? AND hub_seq IS NULL AND column_name = '*' AND value IS NOT NULL",
    );
    const setValue = raw.prepare('UPDATE change_log SET value = ? WHERE seq = ?');
    const moveRows = [...tablesWithRole('money'), ...tablesWithRole('hub_only')].map((t) =>
      raw.prepare(`UPDATE "${t}" SET hlc = ? WHERE hlc = ?`),
    );
    for (const old of future) {
      const stamp = hlc.now();
      // Money records carry their own timestamp, in the row and in the whole-row change.
      for (const r of wholeRows.all(old) as { seq: number; value: string }[]) {
        const row = JSON.parse(r.value) as Record<string, unknown>;
        if (row.hlc === old) setValue.run(JSON.stringify({ ...row, hlc: stamp }), r.seq);
      }
      for (const m of moveRows) m.run(stamp, old);
      moveLog.run(stamp, old);
    }
    raw.prepare('UPDATE device SET last_hlc = ? WHERE id = ?').run(hlc.lastIssued, deviceId);
    raw.prepare('DELETE FROM sync_guard').run();
    return future.length;
  })();
}
