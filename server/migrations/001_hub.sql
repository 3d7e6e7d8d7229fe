-- The hub's schema, one file for both engines (SQLite and PostgreSQL, and the distributed
-- databases that speak PostgreSQL's dialect): TEXT and BIGINT only, explicit primary keys,
-- no SERIAL/AUTOINCREMENT (sequence numbers come from hub_counters), no triggers, no
-- engine-specific functions. Statements end with a semicolon at the end of a line.

-- Named counters: 'seq' is the hub's log sequence; its row lock orders every push.
CREATE TABLE IF NOT EXISTS hub_counters (
  name TEXT NOT NULL PRIMARY KEY,
  value BIGINT NOT NULL
);

-- Every applied change, in hub order: what pull hands out.
CREATE TABLE IF NOT EXISTS hub_log (
  seq BIGINT NOT NULL PRIMARY KEY,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT,
  hlc TEXT NOT NULL,
  device_id TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS hub_log_change_uq ON hub_log (table_name, row_id, column_name, hlc);

-- The winning value of every field (last writer wins by HLC): snapshots, checks, checksums.
CREATE TABLE IF NOT EXISTS hub_fields (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT,
  hlc TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (table_name, row_id, column_name)
);

-- One row per synced row: the keys that decide who may see it (server/sync/row-keys.ts).
CREATE TABLE IF NOT EXISTS hub_rows (
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  org_id TEXT,
  org2_id TEXT,
  product_id TEXT,
  ref_id TEXT,
  status TEXT,
  access TEXT,
  live BIGINT NOT NULL,
  first_seq BIGINT NOT NULL,
  PRIMARY KEY (table_name, row_id)
);
CREATE INDEX IF NOT EXISTS hub_rows_org_idx ON hub_rows (table_name, org_id);
CREATE INDEX IF NOT EXISTS hub_rows_ref_idx ON hub_rows (table_name, ref_id);
CREATE INDEX IF NOT EXISTS hub_rows_product_idx ON hub_rows (table_name, product_id);

CREATE TABLE IF NOT EXISTS hub_users (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS hub_users_name_uq ON hub_users (name);

-- Organizations a user belongs to (set by an admin, or by pushing a new organization).
CREATE TABLE IF NOT EXISTS hub_user_orgs (
  user_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, organization_id)
);

-- One-time enrollment codes: only their SHA-256 is kept.
CREATE TABLE IF NOT EXISTS hub_enroll_codes (
  code_hash TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by_device TEXT
);

-- Enrolled devices: only the SHA-256 of the token; scope_json is the visible set the device
-- last synced with (pull answers scopeChanged when it shrank or grew into older rows).
CREATE TABLE IF NOT EXISTS hub_devices (
  id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT,
  token_hash TEXT NOT NULL,
  series_code TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  last_seen_at TEXT,
  scope_json TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS hub_devices_token_uq ON hub_devices (token_hash);
CREATE UNIQUE INDEX IF NOT EXISTS hub_devices_series_uq ON hub_devices (series_code);

-- Idempotency: the answer to every batch, written in the batch's own transaction.
CREATE TABLE IF NOT EXISTS hub_batches (
  device_id TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (device_id, batch_id)
);

-- Prepaid balances per (organization, currency): the ledger never goes below zero.
CREATE TABLE IF NOT EXISTS hub_balances (
  organization_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  balance_minor BIGINT NOT NULL,
  PRIMARY KEY (organization_id, currency)
);

-- Per-organization settings: numbering 'device' (each device its own series) or 'at_sync'
-- (the hub numbers issued invoices in one continuous series).
CREATE TABLE IF NOT EXISTS hub_org_settings (
  organization_id TEXT NOT NULL PRIMARY KEY,
  numbering TEXT NOT NULL
);
