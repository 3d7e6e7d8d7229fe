import type { PulledChange, PullResponse } from '#common/sync/protocol';
import { canSee, type KeyedRow, type Scope, type ScopeJson, scopeDiff, scopeOf, scopeToJson } from '../scope';
import { chunks, type Sql } from '../store/types';

export interface PullingDevice {
  id: string;
  userId: string;
  scopeJson: string;
}

/** The settled head: every lower position is committed or never will be (HUB.md "No global lock"). */
export function headSeq(sql: Sql): Promise<number> {
  return sql.settledHead();
}

/** Every hub_log row up to this sequence may be gone: history folded by ./compact.ts. */
export async function compactedThrough(sql: Sql): Promise<number> {
  const r = await sql.all<{ value: number }>("SELECT value FROM hub_counters WHERE name = 'compacted'");
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
  // Read after the scan: compaction raises this before it deletes a row, so a scan that met a
  // hole left by it sees the raised value here (server/sync/compact.ts).
  const folded = await compactedThrough(sql);
  if (since < folded)
    return { changes: [], cursor: since, hasMore: false, scopeChanged: true, compactedThrough: folded, hubTime: now };
  return { changes, cursor, hasMore: cursor < head, scopeChanged: false, hubTime: now };
}
