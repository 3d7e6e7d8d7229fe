-- No global lock (HUB.md "No global lock"). On PostgreSQL a push takes its positions from the
-- sequence hub_seq instead of the 'seq' counter row it used to hold FOR UPDATE, and registers
-- in hub_inflight while it runs: pulls stop below the lowest registered floor. SQLite keeps its
-- counter (one writer at a time) and never has a row in hub_inflight.
-- Statements after a line `-- postgres only` run on PostgreSQL alone (server/store/migrate.ts).

-- One row per push in progress: its database session (pid), the sequence's last value when it
-- registered (every position it takes is above), when it started (real milliseconds).
CREATE TABLE IF NOT EXISTS hub_inflight (
  id TEXT NOT NULL PRIMARY KEY,
  pid BIGINT NOT NULL,
  floor_seq BIGINT NOT NULL,
  started_at BIGINT NOT NULL
);

-- postgres only
-- CACHE 1 (the default): a per-session cache would hand out positions out of order.
CREATE SEQUENCE IF NOT EXISTS hub_seq AS BIGINT CACHE 1;

-- postgres only
-- The sequence continues where the counter stopped: its next value is the counter's + 1.
SELECT setval('hub_seq', COALESCE((SELECT value FROM hub_counters WHERE name = 'seq'), 0) + 1, false);
