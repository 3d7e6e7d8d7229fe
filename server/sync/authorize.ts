import type { Actor } from '#common/authority/actors';
import { isFirm } from '#common/authority/actors';
import { ANYONE, type TableRule } from '#common/authority/rule';
import { AUTHORITY, can, canAsPayer, refusesTransition, refusesValue } from '#common/authority/table';
import type { ChangeResult } from '#common/sync/protocol';
import { SYNC_TABLES } from '#db/sync/tables';
import {
  classOn,
  type HubActor,
  type PartnershipState,
  partnerSideClass,
  partnershipStateOf,
  roleIn,
} from './actor';
import type { Fields } from './tables';
import { checkValue } from './validate';

// The hub's authority check (SYNC.md "Who may write what"): one device write of one row is
// judged against common/authority's table, with the actor and the row's owner as the hub's
// own state has them. Called by push.ts once per write, before last-writer-wins decides
// anything, so a refused write never reveals whether a newer value exists.

export const reject = (reason: string, detail?: Record<string, unknown>): ChangeResult => ({
  outcome: 'rejected',
  hubSeq: null,
  reason,
  detail: detail ?? null,
});

/** What the hub holds, with the batch's own applied writes over it. */
export interface HubView {
  /** Current decoded fields of a row (null: the hub has no such row). */
  row(table: string, rowId: string): Promise<Fields | null>;
  /** One field of a row as `row` gives it (null: no such row or field), without reading the rest. */
  field(table: string, rowId: string, column: string): Promise<unknown>;
  /** Partnerships whose client is this organization. */
  partnershipsOf(client: string): Promise<PartnershipState[]>;
  /** Organizations a person holds live memberships in (hub, and this batch). */
  organizationsOfPerson(personId: string): Promise<string[]>;
  /** The live memberships this batch writes for a person, whether judged yet or not. */
  joiningMembershipsOf(personId: string): Fields[];
  /** The sum of an invoice's applied payments (hub, and this batch). */
  paidOf(invoiceId: string): Promise<number>;
  /** The rows of a table that name this invoice (payments, ledger entries, reminders; hub, and this batch). */
  referring(table: string, invoiceId: string): Promise<Fields[]>;
}

/** The column of a parent row (rule.ts `via`) that names the organization owning its children. */
export const ownerColumn = (via: string) => (via === 'partnerships' ? 'client_organization_id' : 'organization_id');

export interface GroupToJudge {
  table: string;
  rowId: string;
  /** The row as the hub holds it; null when new. */
  current: Fields | null;
  /** The write's columns and decoded values. */
  parts: Map<string, unknown>;
  /** Whether the row as the hub holds it is inside the user's writable scope (true when new). */
  beforeInScope: boolean;
  /** Whether the row as this write would leave it is inside the user's writable scope. */
  afterInScope: boolean;
  /** The device declared a schema newer than this hub's code: unknown columns may pass. */
  newerSchema: boolean;
}

export function createAuthority(actor: HubActor, view: HubView) {
  const partnerships = new Map<string, PartnershipState[]>();
  const partnersOf = async (client: string) => {
    if (!partnerships.has(client)) partnerships.set(client, await view.partnershipsOf(client));
    return partnerships.get(client) ?? [];
  };
  /** Drops what was cached about a client after its partnerships changed in this batch. */
  const forget = (client: string) => partnerships.delete(client);

  async function classFor(org: string | null): Promise<Actor | null> {
    if (actor.firmRole) return classOn(actor, org, () => []);
    const list = org ? await partnersOf(org) : [];
    return classOn(actor, org, () => list);
  }

  /** The organizations a row of this table is judged against, from the row as the hub holds it. */
  async function ownersOf(rule: TableRule, f: Fields): Promise<(string | null)[]> {
    const o = rule.owner;
    if ('global' in o) return [null];
    if ('self' in o) return [typeof f.id === 'string' ? f.id : null];
    if ('person' in o) {
      if (typeof f.id !== 'string') return [];
      const orgs = await view.organizationsOfPerson(f.id);
      return orgs.length > 0 ? orgs : joiningOwners(f.id);
    }
    if ('column' in o && !('via' in o))
      return [typeof f[o.column] === 'string' ? (f[o.column] as string) : null];
    const parentId = f[o.column];
    if (typeof parentId !== 'string') return [null];
    // One field of the parent, not its whole row (a bulk tagging judges by 2,000 products).
    const owner = await view.field(o.via, parentId, ownerColumn(o.via));
    return [typeof owner === 'string' ? owner : null];
  }

  /**
   * A person without memberships yet (members.add writes the person just before the
   * membership that names them, so the batch judges the person first): judged by the
   * organizations whose membership of them this batch writes and this user may write there,
   * role included — a person never enters on a membership the hub will refuse.
   */
  async function joiningOwners(personId: string): Promise<string[]> {
    const out: string[] = [];
    for (const m of view.joiningMembershipsOf(personId)) {
      const org = m.organization_id as string;
      const a = await classFor(org);
      if (can(a, 'memberships', 'insert') && refusesValue(a, 'memberships', 'insert', m) === null)
        out.push(org);
    }
    return out;
  }

  /** The actors this user is on the row: one per owning organization (a person may have several). */
  async function actorsOn(table: string, rule: TableRule, row: Fields): Promise<(Actor | null)[]> {
    if (table === 'partnerships' && !actor.firmRole) {
      const p = partnershipStateOf(row);
      if (!p) return [null];
      // The client's side by its role there; the partner's side by this very partnership.
      if (roleIn(actor, p.client)) return [roleIn(actor, p.client)];
      return [partnerSideClass(actor, p)];
    }
    const owners = await ownersOf(rule, row);
    if (owners.length === 0) return [actor.firmRole ? await classFor(null) : null];
    return Promise.all(owners.map(classFor));
  }

  /**
   * Judges one device write of one row. Values first (the same answer in or out of scope),
   * then scope — a row outside it is answered exactly as one that does not exist — then
   * who may do what.
   */
  async function judge(g: GroupToJudge): Promise<ChangeResult | null> {
    const rule = AUTHORITY[g.table];
    if (!rule) return reject('unknown_table', { table: g.table });
    for (const [column, value] of g.parts) {
      const problem = checkValue(g.table, column, value, g.newerSchema);
      if (problem) return problem;
    }
    // A row outside the caller's scope, and a first write of a row that lacks a required
    // field (a row that cannot exist), get one and the same answer: nobody learns from the
    // refusal whether a row with this id exists.
    const outOfScope = () => reject('out_of_scope', { table: g.table, rowId: g.rowId });
    if (!g.beforeInScope) return outOfScope();
    if (g.current === null) {
      const missing = [...(SYNC_TABLES.get(g.table)?.columns.values() ?? [])].some(
        (c) => c.required && (!g.parts.has(c.sql) || g.parts.get(c.sql) === null),
      );
      if (missing || !g.afterInScope) return outOfScope();
    } else {
      // A row the caller may write: its fixed fields (owner, ends, issuer) are fixed, wherever
      // the write would take it.
      for (const [column, value] of g.parts)
        if (
          rule.fields[column]?.update === 'never' &&
          JSON.stringify(value) !== JSON.stringify(g.current[column] ?? null)
        )
          return reject('field_fixed', { table: g.table, rowId: g.rowId, column });
      if (!g.afterInScope) return outOfScope();
    }

    const after: Fields = { ...(g.current ?? {}), id: g.rowId };
    for (const [c, v] of g.parts) after[c] = v;
    // Owners come from the hub's row when there is one: a write never judges itself by the
    // owner it claims.
    const judged: Fields = g.current ? { ...g.current, id: g.rowId } : after;
    const actors = await actorsOn(g.table, rule, judged);
    const allowed = (check: (a: Actor | null) => boolean) => actors.some(check);
    const refused = (column: string | null, op: string) =>
      reject('not_allowed', {
        table: g.table,
        rowId: g.rowId,
        column,
        operation: op,
        actor: actors[0] ?? null,
      });

    if (!g.current) {
      if (!allowed((a) => can(a, g.table, 'insert'))) return refused(null, 'insert');
      const values = Object.fromEntries(g.parts);
      const bad = actors.map((a) => refusesValue(a, g.table, 'insert', values)).find((c) => c !== null);
      if (bad && !allowed((a) => refusesValue(a, g.table, 'insert', values) === null))
        return refused(bad, 'insert');
      return null;
    }
    const changed = [...g.parts].filter(
      ([c, v]) => JSON.stringify(v) !== JSON.stringify(g.current?.[c] ?? null),
    );
    for (const [column, value] of changed) {
      if (column === 'deleted_at') {
        const op = value === null ? 'insert' : 'tombstone';
        if (!allowed((a) => can(a, g.table, op))) return refused(column, op);
        continue;
      }
      const f = rule.fields[column];
      if (f?.update === 'never') return reject('field_fixed', { table: g.table, rowId: g.rowId, column });
      if (
        allowed(
          (a) =>
            can(a, g.table, 'update', column) &&
            refusesValue(a, g.table, 'update', { [column]: value }) === null &&
            refusesTransition(a, g.table, g.current ?? {}, { [column]: value }) === null,
        )
      )
        continue;
      if (rule.payer && (await payerMay(rule.payer.column, column, g))) continue;
      return refused(column, 'update');
    }
    if (g.table === 'partnerships') {
      const p = partnershipStateOf(after);
      if (p) forget(p.client);
    }
    return null;
  }

  /** The payer's side moves an invoice's status and paid amount only to what its payments make them. */
  async function payerMay(column: string, field: string, g: GroupToJudge): Promise<boolean> {
    const org = g.current?.[column];
    if (typeof org !== 'string') return false;
    const a = await classFor(org);
    if (!canAsPayer(a, g.table, field) || (a !== null && isFirm(a))) return false;
    const paid = await view.paidOf(g.rowId);
    const value = g.parts.get(field);
    if (field === 'paid_minor') return value === paid;
    const gross = Number(g.current?.gross_minor ?? 0);
    return value === (paid >= gross ? 'paid' : paid > 0 ? 'partially_paid' : g.current?.status);
  }

  return { judge, classFor, actorsOn, forget };
}

export type Authority = ReturnType<typeof createAuthority>;
export { ANYONE };
