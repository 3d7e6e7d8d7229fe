-- One row per hub start: devices compare the newest epoch with the one they last synced
-- with. A store restored from an older backup starts a new epoch whose base_seq is the
-- restored head: what a device was acknowledged beyond it, the hub may no longer have.
CREATE TABLE IF NOT EXISTS hub_epochs (
  n BIGINT NOT NULL PRIMARY KEY,
  id TEXT NOT NULL,
  base_seq BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
