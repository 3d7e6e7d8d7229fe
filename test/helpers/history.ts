// The invariants of the recorded history, checked on any file (a recovered one, a backup):
// one activity row per recorded change, its change-log rows sharing its HLC, as many
// change-log rows as changed fields, and timestamps rising in the order rows were written.
import { expect } from 'vitest';
import type { RawDb } from '#db/open';

export function expectConsistentHistory(
  db: RawDb,
  label = 'history',
): { activity: number; changeLog: number } {
  const totals = db
    .prepare(
      // Grouped once and matched through SQLite's automatic indexes: change_log has no index
      // on hlc alone, and a correlated lookup per activity row made this check quadratic (the
      // crash test runs it after each of its 100 kills on a file that keeps growing).
      `WITH logged AS (
         SELECT hlc, count(*) AS rows, max(column_name = '*') AS whole FROM change_log GROUP BY hlc
       )
       SELECT
         (SELECT count(*) FROM activity) AS activity,
         (SELECT count(DISTINCT hlc) FROM activity) AS activityHlcs,
         (SELECT count(*) FROM change_log) AS changeLog,
         (SELECT count(*) FROM logged) AS changeLogHlcs,
         (SELECT count(*) FROM activity WHERE hlc NOT IN (SELECT hlc FROM logged)) AS activityWithoutLog,
         (SELECT count(*) FROM logged WHERE hlc NOT IN (SELECT hlc FROM activity)) AS logWithoutActivity,
         (SELECT coalesce(sum(CASE
            -- A whole-row change ('*': a money record, a bulk-written invoice) is one change-log
            -- row per row written, however many fields the row has.
            WHEN l.whole = 1 THEN l.rows
            ELSE (SELECT count(*) FROM json_each(a.after) WHERE key NOT IN ('id', 'updatedAt')) END), 0)
          FROM activity a LEFT JOIN logged l ON l.hlc = a.hlc) AS changedFields,
         (SELECT count(*) FROM (SELECT hlc, lag(hlc) OVER (ORDER BY seq) AS prev FROM change_log) WHERE prev > hlc) AS hlcBackwards,
         (SELECT last_hlc FROM device WHERE current = 1) AS lastHlc,
         (SELECT max(hlc) FROM change_log) AS maxHlc`,
    )
    .get() as Record<string, number | string | null>;
  expect(totals.activity, `${label}: one HLC per activity row`).toBe(totals.activityHlcs);
  expect(totals.changeLogHlcs, `${label}: change-log HLCs = activity HLCs`).toBe(totals.activity);
  expect(totals.activityWithoutLog, `${label}: activity rows without change-log rows`).toBe(0);
  expect(totals.logWithoutActivity, `${label}: change-log rows without activity`).toBe(0);
  expect(totals.changeLog, `${label}: one change-log row per changed field`).toBe(totals.changedFields);
  expect(totals.hlcBackwards, `${label}: HLC going backwards in write order`).toBe(0);
  if (totals.maxHlc !== null)
    expect(String(totals.lastHlc) >= String(totals.maxHlc), `${label}: device.last_hlc`).toBe(true);
  return { activity: Number(totals.activity), changeLog: Number(totals.changeLog) };
}
