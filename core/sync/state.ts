import type { RawDb } from '#db/open';

// sync_state (one row, id = 1) read and written by plain SQL: the engine, the API and the
// write path's read-only check all share it, whichever connection they hold.

export interface SyncStateRow {
  hubUrl: string | null;
  token: string | null;
  userId: string | null;
  enrolledDeviceId: string | null;
  seriesCode: string | null;
  organizationIds: string[];
  cursor: number;
  snapshotNext: string | null;
  snapshotAsOf: number | null;
  needsSnapshot: boolean;
  purgeAfterSnapshot: boolean;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  lastError: { code: string; params?: Record<string, unknown> } | null;
  readOnly: boolean;
}

interface RawState {
  hub_url: string | null;
  token: string | null;
  user_id: string | null;
  enrolled_device_id: string | null;
  series_code: string | null;
  organization_ids: string | null;
  cursor: number;
  snapshot_next: string | null;
  snapshot_as_of: number | null;
  needs_snapshot: number;
  purge_after_snapshot: number;
  last_sync_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  read_only: number;
}

export function readSyncState(raw: RawDb): SyncStateRow {
  const r = raw.prepare('SELECT * FROM sync_state WHERE id = 1').get() as RawState | undefined;
  if (!r) {
    return {
      hubUrl: null,
      token: null,
      userId: null,
      enrolledDeviceId: null,
      seriesCode: null,
      organizationIds: [],
      cursor: 0,
      snapshotNext: null,
      snapshotAsOf: null,
      needsSnapshot: true,
      purgeAfterSnapshot: false,
      lastSyncAt: null,
      lastAttemptAt: null,
      lastError: null,
      readOnly: false,
    };
  }
  return {
    hubUrl: r.hub_url,
    token: r.token,
    userId: r.user_id,
    enrolledDeviceId: r.enrolled_device_id,
    seriesCode: r.series_code,
    organizationIds: r.organization_ids ? (JSON.parse(r.organization_ids) as string[]) : [],
    cursor: r.cursor,
    snapshotNext: r.snapshot_next,
    snapshotAsOf: r.snapshot_as_of,
    needsSnapshot: Boolean(r.needs_snapshot),
    purgeAfterSnapshot: Boolean(r.purge_after_snapshot),
    lastSyncAt: r.last_sync_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error ? (JSON.parse(r.last_error) as SyncStateRow['lastError']) : null,
    readOnly: Boolean(r.read_only),
  };
}

export type SyncStatePatch = Partial<SyncStateRow>;

const COLUMN: Record<string, string> = {
  hubUrl: 'hub_url',
  token: 'token',
  userId: 'user_id',
  enrolledDeviceId: 'enrolled_device_id',
  seriesCode: 'series_code',
  organizationIds: 'organization_ids',
  cursor: 'cursor',
  snapshotNext: 'snapshot_next',
  snapshotAsOf: 'snapshot_as_of',
  purgeAfterSnapshot: 'purge_after_snapshot',
  needsSnapshot: 'needs_snapshot',
  lastSyncAt: 'last_sync_at',
  lastAttemptAt: 'last_attempt_at',
  lastError: 'last_error',
  readOnly: 'read_only',
};

export function writeSyncState(raw: RawDb, patch: SyncStatePatch): void {
  raw.prepare('INSERT OR IGNORE INTO sync_state (id) VALUES (1)').run();
  const entries = Object.entries(patch).filter(([key, v]) => v !== undefined && COLUMN[key]);
  if (entries.length === 0) return;
  const sets = entries.map(([key]) => `${COLUMN[key]} = ?`).join(', ');
  const values = entries.map(([, v]) => {
    if (v === null) return null;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'object') return JSON.stringify(v);
    return v;
  });
  raw.prepare(`UPDATE sync_state SET ${sets} WHERE id = 1`).run(...values);
}

/** Enrolled for this very identity: a copied or restored file must enroll again. */
export function isEnrolled(state: SyncStateRow, deviceId: string): boolean {
  return Boolean(state.hubUrl && state.token && state.enrolledDeviceId === deviceId);
}

export function isReadOnly(raw: RawDb): boolean {
  const row = raw.prepare('SELECT read_only FROM sync_state WHERE id = 1').pluck().get() as
    | number
    | undefined;
  return row === 1;
}

/**
 * The hub epoch this device last synced with, kept beside sync_state in app_settings (no
 * schema change): a different epoch from the same hub means the hub may have lost changes.
 */
const EPOCH_KEY = 'sync.hub_epoch';

export function readHubEpoch(raw: RawDb, hubUrl: string | null): string | null {
  const text = raw.prepare('SELECT value FROM app_settings WHERE key = ?').pluck().get(EPOCH_KEY) as
    | string
    | undefined;
  if (!text) return null;
  const saved = JSON.parse(text) as { hubUrl?: string; id?: string };
  return saved.hubUrl === hubUrl && typeof saved.id === 'string' ? saved.id : null;
}

export function writeHubEpoch(raw: RawDb, hubUrl: string, id: string): void {
  raw
    .prepare(
      'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(EPOCH_KEY, JSON.stringify({ hubUrl, id }));
}
