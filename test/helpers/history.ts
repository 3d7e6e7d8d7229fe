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
      `SELECT
         (SELECT count(*) FROM activity) AS activity,
         (SELECT count(DISTINCT hlc) FROM activity) AS activityHlcs,
         (SELECT count(*) FROM change_log) AS changeLog,
         (SELECT count(DISTINCT hlc) FROM change_log) AS changeLogHlcs,
         (SELECT count(*) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM change_log c WHERE c.hlc = a.hlc)) AS activityWithoutLog,
         (SELECT count(*) FROM change_log c WHERE NOT EXISTS (SELECT 1 FROM activity a WHERE a.hlc = c.hlc)) AS logWithoutActivity,
         (SELECT coalesce(sum(CASE
            -- A whole-row change ('*': a money record, a bulk-written invoice) is one change-log
            -- row per row written, however many fields the row has.
            WHEN EXISTS (SELECT 1 FROM change_log c WHERE c.hlc = a.hlc AND c.column_name = '*')
              THEN (SELECT count(*) FROM change_log c WHERE c.hlc = a.hlc)
            ELSE (SELECT count(*) FROM json_each(a.after) WHERE key NOT IN ('id', 'updatedAt')) END), 0)
          FROM activity a) AS changedFields,
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
