import { z } from 'zod';

// The wire contract between a device and the hub (SYNC.md "Protocol"), shared by both sides:
// server/ validates every request with these schemas and never trusts the device's word;
// the device's sync engine builds its requests from them. JSON over HTTP, versioned by path.

/** Bumped when the meaning of a change or a table's columns changes (db/ migrations). */
export const PROTOCOL_VERSION = 1;

/** An HLC as text: the one pattern HlcText checks (and ./snapshot-row.ts's fast path). */
export const HLC_PATTERN = /^\d{15}:[0-9a-z]{6}:[0-9a-zA-Z_-]{1,64}$/;
export const HlcText = z.string().regex(HLC_PATTERN, 'malformed HLC timestamp');

/**
 * A name or id on the wire holds no control character (C0 or DEL): no device makes one, and
 * PostgreSQL's text cannot hold a NUL — a hub on it answered such a request with a 500 where
 * a hub on SQLite refused it. The one rule for both (./push-request.ts's fast check too).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
export const isPlainText = (s: string): boolean => NO_CONTROL.test(s);
const IdText = (min: number, max: number) =>
  z.string().min(min).max(max).regex(NO_CONTROL, 'control character in a name or id');

/**
 * One field of one row, as `change_log` holds it: SQL table and column names, the value as
 * JSON text (null for SQL NULL). Column `*` carries a whole row (an object keyed by SQL
 * column names) — money records (append-only) and invoices written in bulk; an invoice's
 * `*` row carries its `lines` too. Column `$command` carries a command such as issuing.
 */
export const WireChange = z.object({
  table: IdText(1, 64),
  rowId: IdText(1, 128),
  column: IdText(1, 64),
  value: z.string().max(4_000_000).nullable(),
  hlc: HlcText,
});
export type WireChange = z.infer<typeof WireChange>;

export const PushRequest = z.object({
  deviceId: IdText(1, 64),
  /** Idempotency key: the same batch sent twice is answered from the first answer. */
  batchId: IdText(8, 128),
  /** The device's database schema (`PRAGMA user_version`); newer than the hub's is refused. */
  schemaVersion: z.number().int().nonnegative(),
  changes: z.array(WireChange).max(10_000),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const CHANGE_OUTCOMES = ['applied', 'superseded', 'duplicate', 'rejected'] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

export const ChangeResult = z.object({
  outcome: z.enum(CHANGE_OUTCOMES),
  /** Hub sequence number of the stored change (applied, or the earlier duplicate). */
  hubSeq: z.number().int().nullable(),
  /** Stable error code (common/errors.ts style) for rejected changes. */
  reason: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ChangeResult = z.infer<typeof ChangeResult>;

/**
 * The hub's epoch: a new one each time the hub starts (a store restored from a backup always
 * comes back through a start). baseSeq is the head it started with: a device that synced with
 * another epoch re-sends what the hub acknowledged beyond baseSeq and reads again from there.
 */
export const HubEpoch = z.object({ id: z.string().min(1).max(64), baseSeq: z.number().int().nonnegative() });
export type HubEpoch = z.infer<typeof HubEpoch>;

export const PushResponse = z.object({
  batchId: z.string(),
  /** One per change, in request order. */
  results: z.array(ChangeResult),
  /** The hub's wall clock (ms), so a device with a wrong clock learns by how much. */
  hubTime: z.number().int(),
  /** Absent from hubs older than epochs. */
  hubEpoch: HubEpoch.optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** A change as the hub hands it out: the wire change plus its place in the hub's log. */
export const PulledChange = WireChange.extend({ seq: z.number().int().positive() });
export type PulledChange = z.infer<typeof PulledChange>;

export const PullResponse = z.object({
  changes: z.array(PulledChange),
  /** Pass back as `since`; never past a sequence number whose transaction may be in flight. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /**
   * The caller's scope differs from the one its cursor was built for (a partnership began
   * or ended, access was revoked): the device takes a snapshot, and drops what it lost.
   */
  scopeChanged: z.boolean(),
  /**
   * The hub's history up to this sequence folded into its current state (retention window,
   * server/sync/compact.ts): a cursor below it cannot be pulled from, so `scopeChanged` is set
   * and the device takes a snapshot, as it does for a scope change. Absent from older hubs.
   */
  compactedThrough: z.number().int().nonnegative().optional(),
  hubTime: z.number().int(),
  /** Absent from hubs older than epochs. */
  hubEpoch: HubEpoch.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Current rows in the caller's scope, by pages of rows, as of `asOf` (a hub sequence). */
export const SnapshotRow = z.object({
  table: z.string(),
  rowId: z.string(),
  /** SQL column name → [JSON value text, HLC of the winning write]. */
  fields: z.record(z.string(), z.tuple([z.string().nullable(), HlcText])),
});
export type SnapshotRow = z.infer<typeof SnapshotRow>;

/**
 * Where a snapshot continues: after row (table, rowId), as of hub sequence asOf. Opaque text on
 * the wire (base64url of its JSON); the device builds one itself after each chunk it applies,
 * so a snapshot cut mid-page resumes after the last row it holds, nothing applied twice.
 */
export interface SnapshotPosition {
  asOf: number;
  table: string;
  rowId: string;
  /** The table order of the walk (SCAN_ORDER); positions of another order restart it. */
  order?: number;
}

/** Tables walked in declaration order, parents first (server/sync/snapshot.ts). */
export const SCAN_ORDER = 2;

export function encodeSnapshotPosition(p: SnapshotPosition): string {
  const bytes = new TextEncoder().encode(
    JSON.stringify({ asOf: p.asOf, table: p.table, rowId: p.rowId, order: p.order }),
  );
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeSnapshotPosition(text: string): SnapshotPosition | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const p = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    ) as Partial<SnapshotPosition> | null;
    return p &&
      typeof p.asOf === 'number' &&
      Number.isSafeInteger(p.asOf) &&
      p.asOf >= 0 &&
      typeof p.table === 'string' &&
      typeof p.rowId === 'string' &&
      isPlainText(p.table) &&
      isPlainText(p.rowId)
      ? {
          asOf: p.asOf,
          table: p.table,
          rowId: p.rowId,
          ...(typeof p.order === 'number' ? { order: p.order } : {}),
        }
      : null;
  } catch {
    return null;
  }
}

/**
 * The streamed snapshot (`Accept: application/x-ndjson`): one JSON object per line — this
 * head first, then one SnapshotRow per line, then SnapshotEnd. A body without its end line
 * was cut: the rows before the cut are whole and may be kept.
 */
export const SnapshotHead = z.object({
  asOf: z.number().int().nonnegative(),
  hubTime: z.number().int(),
  /** Rows visible after the position asked from (when asked with count=1): for progress. */
  remaining: z.number().int().nonnegative().optional(),
});
export type SnapshotHead = z.infer<typeof SnapshotHead>;
export const SnapshotEnd = z.object({ end: z.literal(true), next: z.string().nullable() });
export type SnapshotEnd = z.infer<typeof SnapshotEnd>;

export const SnapshotResponse = z.object({
  rows: z.array(SnapshotRow),
  /** Opaque position for the next page; null on the last page. */
  next: z.string().nullable(),
  /** Continue with pull?since=asOf once every page is in. */
  asOf: z.number().int().nonnegative(),
  hubTime: z.number().int(),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponse>;

export const ChecksumResponse = z.object({
  upTo: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** Hex SHA-256 over the caller's scope (see server/ for the canonical order). */
  checksum: z.string(),
});
export type ChecksumResponse = z.infer<typeof ChecksumResponse>;

export const EnrollRequest = z.object({
  code: IdText(6, 64),
  deviceId: IdText(1, 64),
  deviceName: IdText(0, 200).optional(),
});
export const EnrollResponse = z.object({
  token: z.string(),
  userId: z.string(),
  /** The invoice series code the hub assigned to this device. */
  seriesCode: z.string(),
  organizationIds: z.array(z.string()),
  /**
   * The person the hub user is bound to (a partner's or a client's representative), null for
   * firm staff. The device acts as that person, so it refuses before writing what the hub would
   * refuse; absent from hubs older than this field.
   */
  personId: z.string().nullish(),
  hubTime: z.number().int(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/** Every error body: a stable code, a message in English, details for translation. */
/** The hub's error envelope: the same { code, message, params } as every Kontor door, plus its clock. */
export const HubError = z.object({
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  hubTime: z.number().int().optional(),
});
export type HubError = z.infer<typeof HubError>;

/**
 * `ChangeResult.reason` of a rejected change, for the device to translate (detail carries
 * the values: e.g. balanceMinor/amountMinor for ledger_below_zero, columns for
 * invoice_issued_immutable, deviceSeries for invoice_series_foreign).
 */
export const REJECT_REASONS = [
  'out_of_scope',
  'invoice_issued_immutable',
  'invoice_status_backwards',
  'invoice_series_foreign',
  'ledger_below_zero',
  'money_append_only',
  'partnership_needs_client',
  'unknown_table',
  'malformed_value',
  // The authority model (common/authority/): who may do what, and what a value may be.
  'not_allowed',
  'field_fixed',
  'value_invalid',
  'unknown_column',
  'hlc_foreign_device',
  'invoice_number_mismatch',
  'invoice_number_reused',
  'payment_not_own_invoice',
  'payment_over_due',
  'hub_only_table',
  'invoice_issue_lost',
  'invoice_issued_elsewhere',
  'renewal_mismatch',
  'reminder_mismatch',
  'reminder_fee_mismatch',
  'reminder_fee_over_charged',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * `HubError.code` codes with their HTTP status. clock_ahead and schema_newer refuse the whole
 * batch (nothing applied); device_revoked means: stop syncing, keep the data read-only.
 */
export const HUB_ERRORS = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  device_revoked: 403,
  device_mismatch: 403,
  enroll_code_invalid: 403,
  enroll_code_used: 403,
  enroll_code_expired: 403,
  admin_disabled: 403,
  not_found: 404,
  user_unknown: 404,
  device_unknown: 404,
  clock_ahead: 409,
  schema_newer: 409,
  user_exists: 409,
  device_exists: 409,
  payload_too_large: 413,
  enroll_throttled: 429,
  internal: 500,
} as const;
export type HubErrorCode = keyof typeof HUB_ERRORS;
