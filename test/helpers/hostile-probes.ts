import { z } from 'zod';
import type { Actor } from '#common/authority/actors';
import { AUTHORITY, can, invalidValue } from '#common/authority/table';
import type { SnapshotRow, WireChange } from '#common/sync/protocol';
import { SYNC_TABLES } from '#db/sync/tables';
import { ACTORS, type ActorName, ORGS } from './hostile';
import type { TestDevice } from './hub';

// The adversarial suite's generated attacks (test/integration/hub-authority-adversarial.test.ts),
// derived from common/authority's table so a new table or column is probed without editing the
// suite: every forbidden update, tombstone and insert of the rows an actor sees, and a minimal
// insert of every synced table — rows in the book or none — into an organization where the
// table forbids the actor to insert.

const decode = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/** The test's own reading of who an actor is on a row (DOMAIN.md), from the rows it sees. */
function classesOn(
  name: ActorName,
  table: string,
  f: Record<string, unknown>,
  seen: Map<string, SnapshotRow>,
): (Actor | null)[] {
  if (name === 'firmAccountant') return ['firm_accountant'];
  const roles = ACTORS[name].roles;
  const on = (org: unknown) => (typeof org === 'string' ? ((roles[org] as Actor | undefined) ?? null) : null);
  const field = (t: string, id: unknown, col: string) => {
    const row = typeof id === 'string' ? seen.get(`${t}/${id}`) : undefined;
    return row ? decode(row.fields[col]?.[0] ?? null) : null;
  };
  const owner = AUTHORITY[table]!.owner;
  if ('global' in owner) return [null];
  if ('self' in owner) return [on(f.id)];
  if ('person' in owner)
    return [...seen.values()]
      .filter((r) => r.table === 'memberships' && decode(r.fields.person_id?.[0] ?? null) === f.id)
      .map((r) => on(decode(r.fields.organization_id?.[0] ?? null)));
  if (table === 'partnerships') {
    const client = on(f.client_organization_id);
    if (client && !client.startsWith('partner_')) return [client];
    if (on(f.partner_organization_id) !== 'legal_representative') return [null];
    return [
      f.access === 'limited'
        ? 'partner_limited'
        : f.payment === 'partner'
          ? 'partner_complete_partner_pays'
          : 'partner_complete_client_pays',
    ];
  }
  if ('via' in owner) {
    const col = owner.via === 'partnerships' ? 'client_organization_id' : 'organization_id';
    return [on(field(owner.via, f[owner.column], col))];
  }
  return [on(f[owner.column])];
}

/** A valid value of this column other than the current one, or undefined when none is found. */
function otherValue(table: string, column: string, current: unknown, pool: unknown[]): unknown {
  const candidates: unknown[] = [...pool];
  if (typeof current === 'boolean') candidates.push(!current);
  if (typeof current === 'number') candidates.push(current + 1, current - 1, 2, 1);
  if (typeof current === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(current)) candidates.push('2027-03-04');
    if (/^\d{4}-\d{2}-\d{2}T/.test(current)) candidates.push('2027-03-04T05:06:07.000Z');
    candidates.push(
      `${current}x`,
      'CH',
      'EUR',
      'complete',
      'limited',
      'partner',
      'client',
      'ended',
      'active',
      'annual',
      'member',
      ORGS.other,
      'other-a',
    );
  }
  if (current === null)
    candidates.push('Changed', 1, true, '2027-03-04', '2027-03-04T05:06:07.000Z', ORGS.other, '#112233');
  return candidates.find(
    (v) => JSON.stringify(v) !== JSON.stringify(current) && invalidValue(table, column, v) === null,
  );
}

export interface Attempt {
  what: string;
  changes: WireChange[];
  /** Acceptable reasons: the authority's, or out_of_scope for a row seen but not writable. */
  reasons: string[];
}

/** Every forbidden insert, update and tombstone of every row this actor sees, from the table. */
export function generatedAttacks(name: ActorName, device: TestDevice, rows: SnapshotRow[]): Attempt[] {
  const seen = new Map(rows.map((r) => [`${r.table}/${r.rowId}`, r]));
  const out: Attempt[] = [];
  for (const row of rows) {
    const rule = AUTHORITY[row.table];
    if (!rule || row.table === 'payments' || row.table === 'ledger_entries' || row.table === 'invoice_voids')
      continue;
    const f: Record<string, unknown> = { id: row.rowId };
    for (const [c, [v]] of Object.entries(row.fields)) f[c] = decode(v);
    const classes = classesOn(name, row.table, f, seen);
    const allowed = (check: (a: Actor | null) => boolean) => classes.some(check);
    for (const [column, fr] of Object.entries(rule.fields)) {
      if (['id', 'updated_at', 'deleted_at', 'lines'].includes(column)) continue;
      if (fr.update !== 'never' && allowed((a) => can(a, row.table, 'update', column))) continue;
      if (rule.payer?.fields.includes(column)) continue;
      const pool = rows
        .filter((r) => r.table === row.table)
        .map((r) => decode(r.fields[column]?.[0] ?? null));
      const value = otherValue(row.table, column, f[column] ?? null, pool);
      if (value === undefined) continue;
      out.push({
        what: `${name} updates ${row.table}.${column} of ${row.rowId}`,
        changes: [
          { table: row.table, rowId: row.rowId, column, value: JSON.stringify(value), hlc: device.hlc() },
        ],
        reasons: [
          fr.update === 'never' ? 'field_fixed' : 'not_allowed',
          'out_of_scope',
          'invoice_issued_immutable',
        ],
      });
    }
    if (!allowed((a) => can(a, row.table, 'tombstone')) && f.deleted_at == null)
      out.push({
        what: `${name} tombstones ${row.table} ${row.rowId}`,
        changes: [
          {
            table: row.table,
            rowId: row.rowId,
            column: 'deleted_at',
            value: JSON.stringify('2027-01-01T00:00:00.000Z'),
            hlc: device.hlc(),
          },
        ],
        reasons: ['not_allowed', 'out_of_scope', 'invoice_issued_immutable'],
      });
    if (!allowed((a) => can(a, row.table, 'insert'))) {
      const hlc = device.hlc();
      const copyId = `${row.rowId}-copy-${name}`;
      out.push({
        what: `${name} inserts a copy of ${row.table} ${row.rowId}`,
        changes: Object.entries(row.fields).map(([column, [value]]) => ({
          table: row.table,
          rowId: copyId,
          column,
          value,
          hlc,
        })),
        reasons: ['not_allowed', 'out_of_scope'],
      });
    }
  }
  return out;
}

/** A value this column accepts, from a few typical ones (null only when nothing else fits). */
function sampleValue(table: string, column: string): unknown {
  const f = AUTHORITY[table]?.fields[column];
  if (!f) return undefined;
  if (f.value instanceof z.ZodEnum) return f.value.options[0];
  const candidates: unknown[] = [
    'Probe',
    'probe-1',
    '2026-01-05',
    '2026-01-05T10:00:00.000Z',
    1,
    0,
    true,
    '#336699',
    'probe@example.test',
    'CH',
    'INV-2026-ABCDEF',
    'ABC',
    [],
    {},
  ];
  const found = candidates.find((v) => invalidValue(table, column, v) === null);
  return found === undefined && f.nullable ? null : found;
}

/** The parent row (of a `via` owner) that belongs to this organization, among the rows the actor sees. */
function parentIn(rows: SnapshotRow[], via: string, org: string): string | null {
  const col = via === 'partnerships' ? 'client_organization_id' : 'organization_id';
  return rows.find((r) => r.table === via && decode(r.fields[col]?.[0] ?? null) === org)?.rowId ?? null;
}

/**
 * For every synced table: the minimal row it needs (its required columns, valid values),
 * inserted into each organization where the test's reading of DOMAIN.md makes the actor one
 * the table forbids to insert. Tables without a row in the book (a void, a payment) included.
 */
export function minimalInserts(
  name: ActorName,
  device: TestDevice,
  rows: SnapshotRow[],
): { table: string; attempt: Attempt }[] {
  const out: { table: string; attempt: Attempt }[] = [];
  const standings: [string, Actor][] =
    name === 'firmAccountant'
      ? [[ORGS.c1, 'firm_accountant']]
      : (Object.entries(ACTORS[name].roles) as [string, Actor][]);
  for (const [table, rule] of Object.entries(AUTHORITY)) {
    const o = rule.owner;
    if ('self' in o) continue; // anyone creates an organization (it becomes theirs)
    const synced = SYNC_TABLES.get(table);
    if (!synced) continue;
    for (const [org, actor] of standings) {
      if (can(actor, table, 'insert')) continue;
      const row: Record<string, unknown> = {};
      for (const c of synced.columns.values())
        if (c.required || c.sql === 'created_at') row[c.sql] = sampleValue(table, c.sql);
      // What it points at: the organization probed, else a row the actor sees (of that organization first).
      for (const { column, table: parent } of synced.parents) {
        if (!(column in row)) continue;
        if (parent === 'organizations') row[column] = org;
        else {
          const seen = rows.filter((r) => r.table === parent);
          row[column] = (parentIn(seen, parent, org) ?? seen[0]?.rowId) || row[column];
        }
      }
      if ('column' in o && !('via' in o)) row[o.column] = org;
      if ('via' in o) {
        const parent = parentIn(rows, o.via, org);
        if (!parent) continue;
        row[o.column] = parent;
      }
      const rowId = `probe-${table}-${name}-${org}`;
      const hlc = device.hlc();
      if ('hlc' in row) row.hlc = hlc;
      const changes: WireChange[] =
        synced.kind === 'append'
          ? [{ table, rowId, column: '*', value: JSON.stringify({ id: rowId, ...row }), hlc }]
          : device.row(table, rowId, row, hlc);
      out.push({
        table,
        attempt: {
          what: `${name} (${actor} of ${org}) inserts a minimal ${table} row`,
          changes,
          reasons: ['not_allowed', 'out_of_scope', 'hub_only_table'],
        },
      });
    }
  }
  return out;
}
