import { checksumOf, type ChecksumField } from '#db/sync/checksum';
import type {
  ChecksumResponse,
  PulledChange,
  PullResponse,
  SnapshotResponse,
  SnapshotRow,
} from '#common/sync/protocol';
import { canSee, type KeyedRow, type Scope, type ScopeJson, scopeDiff, scopeOf, scopeToJson } from '../scope';
import { chunks, type Sql } from '../store/types';

export interface PullingDevice {
  id: string;
  userId: string;
  scopeJson: string;
}

/** The highest committed sequence: every lower one is committed too (see applyPush). */
export async function headSeq(sql: Sql): Promise<number> {
  const r = await sql.all<{ value: number }>("SELECT value FROM hub_counters WHERE name = 'seq'");
  return Number(r[0]?.value ?? 0);
}

/**
 * Whether the device must re-snapshot: its scope lost something (rows to drop), or gained
 * something that has changes at or before its cursor (rows it would never receive). A scope
 * that only grew into new rows (an organization the device just created) is recorded silently.
 */
async function scopeChanged(sql: Sql, device: PullingDevice, scope: Scope, since: number): Promise<boolean> {
  const before = JSON.parse(device.scopeJson) as ScopeJson;
  const { lost, gained } = scopeDiff(before, scope);
  if (lost) return true;
  const orgs = [...new Set([...gained.member, ...gained.full, ...gained.limitedClients, ...gained.related])];
  const ids = [...new Set([...gained.limitedProducts, ...gained.people, ...gained.tags])];
  if (orgs.length === 0 && ids.length === 0) return false;
  if (since > 0) {
    for (const part of chunks(orgs, 300)) {
      const m = part.map(() => '?').join(', ');
      const hit = await sql.all(
        `SELECT first_seq FROM hub_rows WHERE first_seq <= ? AND (org_id IN (${m}) OR org2_id IN (${m}) OR (table_name = 'organizations' AND row_id IN (${m}))) LIMIT 1`,
        [since, ...part, ...part, ...part],
      );
      if (hit.length) return true;
    }
    for (const part of chunks(ids, 300)) {
      const m = part.map(() => '?').join(', ');
      const hit = await sql.all(
        `SELECT first_seq FROM hub_rows WHERE first_seq <= ? AND (row_id IN (${m}) OR product_id IN (${m})) LIMIT 1`,
        [since, ...part, ...part],
      );
      if (hit.length) return true;
    }
  }
  await sql.run('UPDATE hub_devices SET scope_json = ? WHERE id = ?', [
    JSON.stringify(scopeToJson(scope)),
    device.id,
  ]);
  return false;
}

export async function pull(
  sql: Sql,
  device: PullingDevice,
  since: number,
  limit: number,
  now: number,
): Promise<PullResponse> {
  const head = await headSeq(sql);
  const scope = await scopeOf(sql, device.userId);
  if (await scopeChanged(sql, device, scope, since)) {
    return { changes: [], cursor: since, hasMore: false, scopeChanged: true, hubTime: now };
  }
  const changes: PulledChange[] = [];
  let cursor = since;
  const scan = Math.max(limit, 1000);
  while (cursor < head && changes.length < limit) {
    const page = await sql.all<
      KeyedRow & { seq: number; column_name: string; value: string | null; hlc: string; device_id: string }
    >(
      `SELECT l.seq, l.table_name, l.row_id, l.column_name, l.value, l.hlc, l.device_id, r.org_id, r.org2_id, r.product_id
       FROM hub_log l JOIN hub_rows r ON r.table_name = l.table_name AND r.row_id = l.row_id
       WHERE l.seq > ? AND l.seq <= ? ORDER BY l.seq LIMIT ?`,
      [cursor, head, scan],
    );
    if (page.length === 0) {
      cursor = head;
      break;
    }
    for (const c of page) {
      const seq = Number(c.seq);
      // A device's own changes are already in its store.
      if (c.device_id !== device.id && canSee(scope, c)) {
        changes.push({
          table: c.table_name,
          rowId: c.row_id,
          column: c.column_name,
          value: c.value,
          hlc: c.hlc,
          seq,
        });
      }
      cursor = seq;
      if (changes.length >= limit) break;
    }
    if (page.length < scan && changes.length < limit) cursor = head;
  }
  // A page never ends inside one device write of one row: an issue applies whole on the
  // device (db/sync/issue-apply.ts), so all of it must come in one page.
  const last = changes.at(-1);
  if (last && cursor < head) {
    const rest = await sql.all<
      KeyedRow & { seq: number; column_name: string; value: string | null; hlc: string; device_id: string }
    >(
      `SELECT l.seq, l.table_name, l.row_id, l.column_name, l.value, l.hlc, l.device_id, r.org_id, r.org2_id, r.product_id
       FROM hub_log l JOIN hub_rows r ON r.table_name = l.table_name AND r.row_id = l.row_id
       WHERE l.seq > ? AND l.seq <= ? ORDER BY l.seq LIMIT 1000`,
      [cursor, head],
    );
    for (const c of rest) {
      if (c.table_name !== last.table || c.row_id !== last.rowId || c.hlc !== last.hlc) break;
      if (c.device_id !== device.id && canSee(scope, c)) {
        changes.push({
          table: c.table_name,
          rowId: c.row_id,
          column: c.column_name,
          value: c.value,
          hlc: c.hlc,
          seq: Number(c.seq),
        });
      }
      cursor = Number(c.seq);
    }
  }
  return { changes, cursor, hasMore: cursor < head, scopeChanged: false, hubTime: now };
}

interface SnapshotPosition {
  asOf: number;
  table: string;
  rowId: string;
}

const encode = (p: SnapshotPosition) => Buffer.from(JSON.stringify(p)).toString('base64url');
export function decodePosition(text: string): SnapshotPosition | null {
  try {
    const p = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SnapshotPosition;
    return typeof p.asOf === 'number' && typeof p.table === 'string' && typeof p.rowId === 'string'
      ? p
      : null;
  } catch {
    return null;
  }
}

async function fieldsOfRows(
  sql: Sql,
  rows: KeyedRow[],
): Promise<Map<string, { column_name: string; value: string | null; hlc: string; seq: number }[]>> {
  const out = new Map<string, { column_name: string; value: string | null; hlc: string; seq: number }[]>();
  const byTable = new Map<string, string[]>();
  for (const r of rows) {
    const list = byTable.get(r.table_name) ?? [];
    list.push(r.row_id);
    byTable.set(r.table_name, list);
  }
  for (const [table, ids] of byTable) {
    for (const part of chunks(ids, 500)) {
      const got = await sql.all<{
        row_id: string;
        column_name: string;
        value: string | null;
        hlc: string;
        seq: number;
      }>(
        `SELECT row_id, column_name, value, hlc, seq FROM hub_fields WHERE table_name = ? AND row_id IN (${part.map(() => '?').join(', ')})`,
        [table, ...part],
      );
      for (const f of got) {
        const k = `${table}\u0000${f.row_id}`;
        const list = out.get(k) ?? [];
        list.push({ ...f, seq: Number(f.seq) });
        out.set(k, list);
      }
    }
  }
  return out;
}

/** Visible rows after a position, in (table, row id) order, by pages of the hub_rows index. */
async function* visibleRows(
  sql: Sql,
  scope: Scope,
  after: { table: string; rowId: string } | null,
): AsyncGenerator<KeyedRow & { first_seq: number }> {
  let pos = after ?? { table: '', rowId: '' };
  for (;;) {
    const page = await sql.all<KeyedRow & { first_seq: number }>(
      `SELECT table_name, row_id, org_id, org2_id, product_id, first_seq FROM hub_rows
       WHERE (table_name, row_id) > (?, ?) ORDER BY table_name, row_id LIMIT 2000`,
      [pos.table, pos.rowId],
    );
    for (const r of page) if (canSee(scope, r)) yield r;
    const last = page[page.length - 1];
    if (!last || page.length < 2000) return;
    pos = { table: last.table_name, rowId: last.row_id };
  }
}

export async function snapshot(
  sql: Sql,
  device: PullingDevice,
  after: string | null,
  limit: number,
  now: number,
): Promise<SnapshotResponse | { error: 'bad_position' }> {
  const position = after ? decodePosition(after) : null;
  if (after && !position) return { error: 'bad_position' };
  const scope = await scopeOf(sql, device.userId);
  const asOf = position?.asOf ?? (await headSeq(sql));
  // The device will hold exactly this scope once it has every page.
  if (!position)
    await sql.run('UPDATE hub_devices SET scope_json = ? WHERE id = ?', [
      JSON.stringify(scopeToJson(scope)),
      device.id,
    ]);
  const picked: KeyedRow[] = [];
  let more = false;
  for await (const r of visibleRows(
    sql,
    scope,
    position ? { table: position.table, rowId: position.rowId } : null,
  )) {
    if (picked.length >= limit) {
      more = true;
      break;
    }
    picked.push(r);
  }
  const fields = await fieldsOfRows(sql, picked);
  const rows: SnapshotRow[] = picked.map((r) => ({
    table: r.table_name,
    rowId: r.row_id,
    fields: Object.fromEntries(
      (fields.get(`${r.table_name}\u0000${r.row_id}`) ?? []).map((f) => [f.column_name, [f.value, f.hlc]]),
    ),
  }));
  const last = picked[picked.length - 1];
  return {
    rows,
    next: more && last ? encode({ asOf, table: last.table_name, rowId: last.row_id }) : null,
    asOf,
    hubTime: now,
  };
}

/** SHA-256 over the caller's scope as of sequence upTo (db/sync/checksum.ts: the canonical form). */
export async function checksum(
  sql: Sql,
  device: PullingDevice,
  upTo: number | null,
): Promise<ChecksumResponse> {
  const head = await headSeq(sql);
  const at = upTo === null ? head : Math.min(upTo, head);
  const scope = await scopeOf(sql, device.userId);
  const all: ChecksumField[] = [];
  let batch: KeyedRow[] = [];
  const drain = async () => {
    const fields = await fieldsOfRows(sql, batch);
    for (const r of batch) {
      for (const f of fields.get(`${r.table_name}\u0000${r.row_id}`) ?? []) {
        let { value, hlc } = f;
        if (f.seq > at) {
          // Newer than upTo: the field as it was then, from the log.
          const older = await sql.all<{ value: string | null; hlc: string }>(
            'SELECT value, hlc FROM hub_log WHERE table_name = ? AND row_id = ? AND column_name = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
            [r.table_name, r.row_id, f.column_name, at],
          );
          if (!older[0]) continue;
          ({ value, hlc } = older[0]);
        }
        all.push({ table: r.table_name, rowId: r.row_id, column: f.column_name, value, hlc });
      }
    }
    batch = [];
  };
  for await (const r of visibleRows(sql, scope, null)) {
    if (Number(r.first_seq) > at) continue;
    batch.push(r);
    if (batch.length >= 1000) await drain();
  }
  await drain();
  return { upTo: at, ...checksumOf(all) };
}
