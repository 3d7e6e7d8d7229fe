import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { fail } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { normalizeHubUrls, sameHubUrls, splitHubUrls } from '#common/sync/hub-urls';
import type { EnrollResponse } from '#common/sync/protocol';
import { linesToWire, pendingCount } from '#db/sync/outbox';
import { SYNC_TABLES } from '#db/sync/tables';
import { INSERT_WIRE_LINE, wireLineValues } from '#db/sync/wire-lines';
import { describeFailure, type SyncProgress } from '../sync/engine';
import { HubClient, HubFailure } from '../sync/hub-client';
import { isEnrolled, readSyncState, writeSyncState } from '../sync/state';
import type { Ctx, SyncRoundSummary } from './context';
import { setSetting } from './settings.service';
import { trackedTables } from './tracked-tables';

export interface SyncStatus {
  hubUrl: string | null;
  enrolled: boolean;
  deviceId: string;
  seriesCode: string | null;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  pending: number;
  rejections: number;
  /** Changes from the hub waiting on this device (for a newer version or for the rows they point at). */
  deferred: number;
  readOnly: boolean;
  lastError: { code: string; message: string } | null;
  /** Changes kept for a newer version (refused loudly, never dropped). */
  deferredMessage: string | null;
  /** The round in flight: a snapshot's rows done out of total, and rows per second. */
  progress: SyncProgress | null;
}

export function syncStatus(ctx: Ctx, locale?: string): SyncStatus {
  const state = readSyncState(ctx.raw);
  const lang = resolveLocale(locale);
  const deferred = ctx.raw
    .prepare("SELECT count(*) FROM sync_deferred WHERE reason LIKE 'unknown%'")
    .pluck()
    .get() as number;
  const enrolled = isEnrolled(state, ctx.deviceId);
  let lastError = state.lastError;
  if (!lastError && state.hubUrl && !enrolled) lastError = { code: 'sync_device_changed', params: {} };
  return {
    // Several addresses of one hub read as a list (and type back the same way).
    hubUrl: state.hubUrl ? splitHubUrls(state.hubUrl).join(', ') : null,
    enrolled,
    deviceId: ctx.deviceId,
    seriesCode: enrolled ? state.seriesCode : null,
    lastSyncAt: state.lastSyncAt,
    lastAttemptAt: state.lastAttemptAt,
    pending: pendingCount(ctx.raw),
    rejections: ctx.raw
      .prepare('SELECT count(*) FROM sync_rejections WHERE resolved_at IS NULL')
      .pluck()
      .get() as number,
    // Every row waiting on this device: for a newer version, and for the rows it points at
    // (a row that waits forever must show, or nobody ever looks).
    deferred: ctx.raw.prepare('SELECT count(*) FROM sync_deferred').pluck().get() as number,
    readOnly: state.readOnly,
    lastError: lastError
      ? {
          code: lastError.code,
          message: translateError(lastError.code, (lastError.params ?? {}) as never, lang),
        }
      : null,
    deferredMessage: deferred > 0 ? translateError('sync_changes_deferred', { count: deferred }, lang) : null,
    progress: ctx.host?.sync?.progress ?? null,
  };
}

/** Points this device at a hub and, with a code, enrolls it (a token and an invoice series). */
export async function configureSync(
  ctx: Ctx,
  input: { hubUrl: string; enrollCode?: string; deviceName?: string },
): Promise<SyncStatus> {
  // One address or several of one hub (hub processes on one database), tried in order.
  const list = normalizeHubUrls(input.hubUrl);
  if (!list.ok) fail('sync_hub_url_invalid', { url: list.bad });
  const hubUrl = list.stored;
  if (!input.enrollCode) {
    writeSyncState(ctx.raw, { hubUrl });
    return syncStatus(ctx);
  }
  let enrolled: EnrollResponse;
  try {
    enrolled = await new HubClient({ url: hubUrl }).enroll({
      code: input.enrollCode,
      deviceId: ctx.deviceId,
      deviceName: input.deviceName,
    });
  } catch (error) {
    if (error instanceof HubFailure) {
      if (error.code === 'hub_unreachable') fail('sync_hub_unreachable', { url: list.urls.join(', ') });
      fail('sync_enroll_refused', { reason: error.message });
    }
    throw error;
  }
  const previous = readSyncState(ctx.raw);
  // An address added to or dropped from the list is the same hub.
  const sameHub = sameHubUrls(previous.hubUrl, hubUrl) && previous.userId === enrolled.userId;
  writeSyncState(ctx.raw, {
    hubUrl,
    token: enrolled.token,
    userId: enrolled.userId,
    enrolledDeviceId: ctx.deviceId,
    seriesCode: enrolled.seriesCode,
    organizationIds: enrolled.organizationIds,
    readOnly: false,
    lastError: null,
    // Another hub or user: read everything from the start. Re-enrolling the same user keeps the cursor.
    ...(sameHub
      ? {}
      : {
          cursor: 0,
          needsSnapshot: true,
          purgeAfterSnapshot: false,
          snapshotNext: null,
          snapshotAsOf: null,
        }),
  });
  // A partner's or a client's device acts as the person its hub user is bound to: a device
  // that acted as the book's keeper wrote what the hub then refused (a limited partner's work
  // team in its client), and kept it. Firm staff (no person) stay the book's keeper.
  if (enrolled.personId) setSetting(ctx, 'actingPersonId', enrolled.personId);
  ctx.host?.sync?.start();
  return syncStatus(ctx);
}

export async function syncNow(ctx: Ctx): Promise<SyncRoundSummary & { status: SyncStatus }> {
  const engine = ctx.host?.sync;
  if (!engine) fail('sync_not_configured');
  const state = readSyncState(ctx.raw);
  if (!isEnrolled(state, ctx.deviceId)) fail(state.hubUrl ? 'sync_device_changed' : 'sync_not_configured');
  try {
    const result = await engine.syncNow();
    return { ...result, status: syncStatus(ctx) };
  } catch (error) {
    if (error instanceof HubFailure) {
      const { code, params } = describeFailure(error, ctx.clock.now().getTime());
      fail(code as never, params as never);
    }
    throw error;
  }
}

export interface SyncRejection {
  id: number;
  table: string;
  rowId: string;
  column: string;
  value: string | null;
  reason: string;
  message: string;
  detail: Record<string, unknown> | null;
  rejectedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

interface RejectionRow {
  id: number;
  hlc: string;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
  reason: string;
  detail: string | null;
  rejected_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

export function listRejections(
  ctx: Ctx,
  input: { includeResolved: boolean; limit: number },
  locale?: string,
): SyncRejection[] {
  const rows = ctx.raw
    .prepare(
      `SELECT * FROM sync_rejections ${input.includeResolved ? '' : 'WHERE resolved_at IS NULL'} ORDER BY id DESC LIMIT ?`,
    )
    .all(input.limit) as RejectionRow[];
  const lang = resolveLocale(locale);
  return rows.map((r) => {
    const detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null;
    return {
      id: r.id,
      table: r.table_name,
      rowId: r.row_id,
      column: r.column_name,
      value: r.value,
      reason: r.reason,
      message: translateError(r.reason, (detail ?? {}) as never, lang),
      detail,
      rejectedAt: r.rejected_at,
      resolvedAt: r.resolved_at,
      resolution: r.resolution,
    };
  });
}

/**
 * Keep mine: an invoice the hub refused (issued elsewhere meanwhile) becomes a NEW draft with
 * my version; any other field is written again with a fresh timestamp, to win this time.
 * Accept theirs: the store already shows the hub's value (restored when refused); close it.
 */
export function resolveRejection(
  ctx: Ctx,
  input: { id: number; choice: 'keepMine' | 'acceptTheirs' },
): { id: number; newId: string | null } {
  const row = ctx.raw
    .prepare('SELECT * FROM sync_rejections WHERE id = ? AND resolved_at IS NULL')
    .get(input.id) as RejectionRow | undefined;
  if (!row) fail('sync_rejection_not_found', { id: input.id });
  return ctx.write('sync.resolved', (tx) => {
    let newId: string | null = null;
    if (input.choice === 'keepMine') {
      const table = trackedTables[row.table_name as keyof typeof trackedTables];
      const described = SYNC_TABLES.get(row.table_name);
      if (!table || !described) fail('money_record_immutable');
      const value = row.value === null ? null : (JSON.parse(row.value) as unknown);
      if (row.table_name === 'invoices') {
        newId = copyAsDraft(ctx, tx, row.row_id, row.column_name, value);
      } else if (row.column_name === '*') {
        const fields = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        tx.update(table, row.row_id, toPatch(table, fields) as never);
      } else {
        const key = described.columns.get(row.column_name)?.key;
        if (key) tx.update(table, row.row_id, { [key]: value } as never);
      }
    }
    ctx.raw
      .prepare('UPDATE sync_rejections SET resolved_at = ?, resolution = ? WHERE id = ?')
      .run(tx.now.toISOString(), input.choice, row.id);
    // Keeping mine wrote its own activity with the rows it changed; accepting theirs changes no row.
    if (input.choice === 'acceptTheirs')
      tx.recordActivity({
        entity: 'sync_rejections',
        entityId: String(row.id),
        organizationId: null,
        after: { choice: input.choice, table: row.table_name, rowId: row.row_id, newId },
      });
    return { id: row.id, newId };
  });
}

function toPatch(table: (typeof trackedTables)[keyof typeof trackedTables], fields: Record<string, unknown>) {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const bySql = new Map(Object.entries(columns).map(([key, c]) => [c.name, key]));
  const patch: Record<string, unknown> = {};
  for (const [sql, value] of Object.entries(fields)) {
    const key = bySql.get(sql) ?? (sql in columns ? sql : undefined);
    if (!key || ['id', 'createdAt', 'updatedAt'].includes(key)) continue;
    patch[key] = value;
  }
  return patch;
}

function copyAsDraft(
  ctx: Ctx,
  tx: Parameters<Parameters<Ctx['write']>[1]>[0],
  rowId: string,
  column: string,
  value: unknown,
): string {
  const current = ctx.raw.prepare('SELECT * FROM invoices WHERE id = ?').get(rowId) as
    | Record<string, unknown>
    | undefined;
  if (!current) fail('invoice_not_found', { id: rowId });
  const described = SYNC_TABLES.get('invoices');
  if (!described) fail('internal');
  const mine: Record<string, unknown> = {};
  for (const [sql, raw] of Object.entries(current)) {
    const c = described.columns.get(sql);
    if (c) mine[sql] = c.column.mapFromDriverValue(raw as never);
  }
  const lines = ctx.raw
    .prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position')
    .all(rowId) as Record<string, unknown>[];
  let linesValue: Record<string, unknown>[] | null = null;
  if (column === 'lines' && Array.isArray(value)) linesValue = value as Record<string, unknown>[];
  else if (column === '*' && value && typeof value === 'object') {
    Object.assign(mine, value);
    const l = (value as Record<string, unknown>).lines;
    if (Array.isArray(l)) linesValue = l as Record<string, unknown>[];
  } else if (described.columns.has(column)) mine[column] = value;
  const patch = toPatch(trackedTables.invoices, mine);
  const draft = tx.insert(trackedTables.invoices, {
    ...(patch as Record<string, never>),
    status: 'draft',
    series: null,
    sequence: null,
    number: null,
    paidMinor: 0,
    referenceType: null,
    paymentReference: null,
    importRef: null,
  } as never) as { id: string };
  const priced = linesValue ?? linesToWire(lines);
  const insertLine = ctx.raw.prepare(INSERT_WIRE_LINE);
  priced.forEach((l, i) => {
    insertLine.run(...wireLineValues(ctx.ids.next(), draft.id, i, l));
  });
  tx.logChange('invoices', draft.id, 'lines', priced);
  return draft.id;
}

/** Stops the round in flight (the Sync page's Cancel, Ctrl-C in `kontor sync`). */
export function cancelSync(ctx: Ctx): { cancelled: boolean } {
  return { cancelled: ctx.host?.sync?.cancel() ?? false };
}
