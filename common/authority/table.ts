import type { Actor } from './actors';
import { ANYONE, type FieldRule, type TableRule, type Who } from './rule';
import { BILLING_RULES } from './table-billing';
import { BOOK_RULES } from './table-books';
import { MASTER_RULES } from './table-master';

// The authority table: every synced table (db/sync/tables.ts), every column. A table or a
// column added to the store without an entry here fails test/unit/authority-complete.test.ts.

export const AUTHORITY: Readonly<Record<string, TableRule>> = {
  ...MASTER_RULES,
  ...BOOK_RULES,
  ...BILLING_RULES,
};
export type AuthorityTable = keyof typeof MASTER_RULES | keyof typeof BOOK_RULES | keyof typeof BILLING_RULES;

/** Whether the payer's side (an invoice's organization_id) may move this field. */
export function canAsPayer(actor: Actor | null, table: string, field: string): boolean {
  const payer = AUTHORITY[table]?.payer;
  return !!payer && payer.fields.includes(field) && allows(payer.who, actor);
}

export type Operation = 'insert' | 'update' | 'tombstone';

const allows = (who: Who, actor: Actor | null) => who === ANYONE || (actor !== null && who.includes(actor));

/**
 * Whether this actor may do this to a row of this table (and this field, for an update).
 * `null` actor: someone with no role on the row's organization. Unknown tables and columns
 * are never allowed. Values (`only`, `insertOnly`) are checked by `refusesValue`.
 */
export function can(actor: Actor | null, table: string, op: Operation, field?: string): boolean {
  const rule = AUTHORITY[table];
  if (!rule) return false;
  if (op === 'insert') return allows(rule.insert, actor);
  if (op === 'tombstone') return allows(rule.tombstone, actor);
  if (field === undefined) return Object.keys(rule.fields).some((f) => can(actor, table, 'update', f));
  const f: FieldRule | undefined = rule.fields[field];
  if (!f) return false;
  if (f.update === 'never') return false;
  if (f.update === 'tombstone') return allows(rule.tombstone, actor);
  if (f.update === 'row')
    return Object.entries(rule.fields).some(
      ([name, other]) => name !== field && other.update !== 'row' && can(actor, table, 'update', name),
    );
  return allows(f.update, actor);
}

/** A value some actors may not set (a partner activating a partnership); the column when refused. */
export function refusesValue(
  actor: Actor | null,
  table: string,
  op: 'insert' | 'update',
  values: Record<string, unknown>,
): string | null {
  const rule = AUTHORITY[table];
  if (!rule || actor === null || !valueRulesFor(table).has(actor)) return null;
  if (op === 'insert')
    for (const o of rule.insertOnly ?? [])
      if (o.actors.includes(actor) && o.column in values && !o.values.includes(values[o.column]))
        return o.column;
  for (const [column, value] of Object.entries(values)) {
    const only = rule.fields[column]?.only;
    if (only?.actors.includes(actor) && !only.values.includes(value)) return column;
  }
  return null;
}

/**
 * The actors some value rule of this table (`insertOnly`, a field's `only`) names: for anyone
 * else no value is ever refused, and the values need not be looked at (the device judges every
 * tracked write; most tables name nobody).
 */
function valueRulesFor(table: string): ReadonlySet<Actor> {
  let actors = valueRuleActors.get(table);
  if (!actors) {
    const rule = AUTHORITY[table];
    actors = new Set<Actor>([
      ...(rule?.insertOnly ?? []).flatMap((o) => o.actors),
      ...Object.values(rule?.fields ?? {}).flatMap((f) => f.only?.actors ?? []),
    ]);
    valueRuleActors.set(table, actors);
  }
  return actors;
}
const valueRuleActors = new Map<string, ReadonlySet<Actor>>();

/** Why one value is not a value of this column, or null when it is. */
export function invalidValue(table: string, column: string, value: unknown): string | null {
  const f = AUTHORITY[table]?.fields[column];
  if (!f) return 'unknown_column';
  if (value === null) return f.nullable ? null : 'required';
  const r = f.value.safeParse(value);
  return r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
}

/**
 * A value this actor may set only from a given state of the stored row (`onlyFrom`): the
 * column refused, or null. The hub and the device call it with the row as they hold it.
 */
export function refusesTransition(
  actor: Actor | null,
  table: string,
  stored: Record<string, unknown>,
  values: Record<string, unknown>,
): string | null {
  for (const o of AUTHORITY[table]?.onlyFrom ?? []) {
    if (actor === null || !o.actors.includes(actor) || values[o.column] !== o.value) continue;
    if (Object.entries(o.from).some(([c, v]) => stored[c] !== v)) return o.column;
  }
  return null;
}

/**
 * Whether this actor may do this, values included: what a screen asks before it offers an
 * action (the renderer's useMay) and what the device's services ask before a money or price
 * operation (core/services/authority.ts requireAuthority).
 */
export function allowedTo(
  actor: Actor | null,
  table: string,
  operation: Operation,
  what: { column?: string; values?: Record<string, unknown> } = {},
): boolean {
  if (!can(actor, table, operation, what.column)) return false;
  return (
    !what.values || operation === 'tombstone' || refusesValue(actor, table, operation, what.values) === null
  );
}
