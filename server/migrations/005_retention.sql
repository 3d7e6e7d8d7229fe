-- Hub compaction (server/sync/compact.ts): history older than the retention window folds into
-- the snapshot state (hub_fields already holds every field's winning value and HLC, so folding
-- is dropping hub_log and hub_batches rows older than the window).
-- A mark says "by time `at` (ms), every change up to `seq` existed": the window is counted from
-- the first time a position was seen, so no change is dropped younger than the window. Marks
-- are written by each compaction run (hourly and at start), never by a push.
CREATE TABLE IF NOT EXISTS hub_marks (
  seq BIGINT NOT NULL PRIMARY KEY,
  at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_marks_at_idx ON hub_marks (at);
-- 'compacted': every hub_log row up to this sequence may be gone. It is raised (committed)
-- before any row is deleted; a pull from a cursor below it answers "take a snapshot".
INSERT INTO hub_counters (name, value) VALUES ('compacted', 0) ON CONFLICT (name) DO NOTHING;
CREATE INDEX IF NOT EXISTS hub_batches_created_idx ON hub_batches (created_at);
