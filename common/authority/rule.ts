import type { z } from 'zod';
import type { Actor } from './actors';

// The shape of the authority table (table.ts). One entry per synced table, one per column:
// who may insert a row, who may tombstone it, who may change each field afterwards, and
// what a value may be. The hub's push, the device's write path, the renderer's `can` and
// the README's table all read these entries.

/** Anyone in scope, even with no role there yet (creating one's own organization). */
export const ANYONE = 'anyone' as const;
export type Who = readonly Actor[] | typeof ANYONE;

/**
 * The organization an actor is judged against for a row of this table:
 * - a column of the row (its owner), read from the hub's state, never from the change;
 * - `self`: the organization row itself; `person`: the organizations the person belongs to;
 * - `product` / `team` / `partnership`: the owner of the row this one points at;
 * - `global`: the firm's price book, judged against no organization.
 */
export type Owner =
  | { column: string }
  | { self: true }
  | { person: true }
  | { via: 'products' | 'work_teams' | 'partnerships'; column: string }
  | { global: true };

export interface FieldRule {
  /** A non-null value (null is allowed where `nullable`). */
  value: z.ZodType;
  nullable: boolean;
  /**
   * Who may change it once the row exists; 'never': fixed when the row is created;
   * 'row': whoever may change any other field of the row (updated_at); 'tombstone': the
   * tombstone rule of the table (deleted_at).
   */
  update: Who | 'never' | 'row' | 'tombstone';
  /** Some actors may only set some values (a partner's side of a partnership withdraws or ends). */
  only?: { actors: readonly Actor[]; values: readonly unknown[] };
}

export interface TableRule {
  owner: Owner;
  insert: Who;
  tombstone: Who;
  /** Every column of the table, by SQL name, plus virtual ones (an invoice's `lines`). */
  fields: Record<string, FieldRule>;
  /** Some actors may only insert rows with these values (a partner invites, it does not activate). */
  insertOnly?: { actors: readonly Actor[]; column: string; values: readonly unknown[] }[];
  /**
   * A second organization that may move some fields, judged against that column's
   * organization (an invoice's payer records its own payment: status and paid_minor).
   */
  payer?: { column: string; fields: readonly string[]; who: Who };
  /**
   * A value some actors may set only from a given state of the row as it is held: a partner
   * accepts only an invitation the client sent (the client granted it by inviting).
   */
  onlyFrom?: { actors: readonly Actor[]; column: string; value: unknown; from: Record<string, unknown> }[];
  /** Rules beyond who, by name; each is enforced where said (README lists them). */
  rules?: readonly string[];
}

export const field = (value: z.ZodType, update: FieldRule['update'], nullable = false): FieldRule => ({
  value,
  update,
  nullable,
});
/** Bookkeeping every row carries: id and created_at are fixed, the tombstone is its own rule. */
export const stamps = (value: { timestamp: z.ZodType; id: z.ZodType }): Record<string, FieldRule> => ({
  id: field(value.id, 'never'),
  created_at: field(value.timestamp, 'never'),
  updated_at: field(value.timestamp, 'row'),
  deleted_at: field(value.timestamp, 'tombstone', true),
});
