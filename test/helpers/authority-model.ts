import type { SnapshotRow } from '#common/sync/protocol';
import { ACTORS, type ActorName } from './hostile';

// An independent model of who may write what, written from SYNC.md "Who may write what" and
// DOMAIN.md (Membership, Partnership, Prepaid account, Payment) — deliberately not from
// common/authority, so the property test compares the hub with a second reading of the rules.
// It holds the book as rows of decoded fields and answers, for one write, whether the hub
// must take it; the property test then asks the hub and compares.

export type Row = Record<string, unknown>;
/** Every row of the book, by `table/id`. */
export type World = Map<string, Row>;
/** The firm's administrator (the device that built the book) or one of the hostile actors. */
export type Who = 'firm' | ActorName;

/** What a person is on one organization, in DOMAIN.md's words. */
export type Standing =
  | 'firm administrator'
  | 'firm accountant'
  | 'legal representative'
  | 'administrator'
  | 'accountant'
  | 'member'
  | 'limited partner'
  | 'complete partner, client pays'
  | 'complete partner, partner pays';

const decode = (v: string | null | undefined): unknown => (v == null ? null : JSON.parse(v));

export function worldOf(rows: SnapshotRow[]): World {
  const world: World = new Map();
  for (const r of rows) {
    const f: Row = { id: r.rowId };
    for (const [c, [v]] of Object.entries(r.fields)) {
      const value = decode(v);
      // Money records travel as one whole-row value.
      if (c === '*' && value && typeof value === 'object') Object.assign(f, value);
      else f[c] = value;
    }
    world.set(`${r.table}/${r.rowId}`, f);
  }
  return world;
}

export const rowsOf = (world: World, table: string) =>
  [...world.entries()].filter(([k]) => k.startsWith(`${table}/`)).map(([, r]) => r);

const live = (r: Row) => r.deleted_at == null;
const RANK = ['member', 'accountant', 'administrator', 'legal_representative'];

/** The person's own role in an organization: its strongest live membership; a hub user linked to it without one is a member. */
function roleIn(world: World, who: ActorName, org: string): Standing | null {
  const person = ACTORS[who].person;
  const roles = rowsOf(world, 'memberships')
    .filter((m) => live(m) && m.person_id === person && m.organization_id === org)
    .map((m) => String(m.role))
    .sort((a, b) => RANK.indexOf(b) - RANK.indexOf(a));
  if (roles[0]) return roles[0].replace('_', ' ') as Standing;
  return ACTORS[who].links.includes(org) ? 'member' : null;
}

const partnerKind = (p: Row): Standing =>
  p.access === 'complete'
    ? p.payment === 'partner'
      ? 'complete partner, partner pays'
      : 'complete partner, client pays'
    : 'limited partner';

/** Who this actor is on an organization: firm staff; its own role; else a partner of it through an active partnership. */
export function standingOn(world: World, who: Who, org: unknown): Standing | null {
  if (who === 'firm') return 'firm administrator';
  if (who === 'firmAccountant') return 'firm accountant';
  if (typeof org !== 'string') return null;
  const own = roleIn(world, who, org);
  if (own) return own;
  const p = rowsOf(world, 'partnerships').find(
    (x) =>
      live(x) &&
      x.status === 'active' &&
      x.client_organization_id === org &&
      roleIn(world, who, String(x.partner_organization_id)) !== null,
  );
  return p ? partnerKind(p) : null;
}

const FIRM: Standing[] = ['firm administrator', 'firm accountant'];
const OWN_ADMINS: Standing[] = ['legal representative', 'administrator'];
const OWN_ACCOUNTING: Standing[] = [...OWN_ADMINS, 'accountant'];
const COMPLETE: Standing[] = ['complete partner, client pays', 'complete partner, partner pays'];
/** Who keeps an organization's master data: the firm, its administrators, a complete partner. */
const KEEPS: Standing[] = [...FIRM, ...OWN_ADMINS, ...COMPLETE];

/** Whether an actor may write the rows of an organization at all (SYNC.md "Who sees what"). */
function reaches(world: World, who: Who, org: unknown, productId?: string): boolean {
  const s = standingOn(world, who, org);
  if (s === null) return false;
  if (s !== 'limited partner') return true;
  // A limited partner reaches only the products allocated to its partnership.
  if (!productId) return false;
  return rowsOf(world, 'partnership_products').some((a) => {
    if (!live(a) || a.product_id !== productId) return false;
    const p = world.get(`partnerships/${a.partnership_id}`);
    return (
      !!p && live(p) && p.status === 'active' && p.access === 'limited' && p.client_organization_id === org
    );
  });
}

export interface Verdict {
  ok: boolean;
  /** Why the hub must refuse (any of these codes). */
  reasons?: string[];
}
const yes: Verdict = { ok: true };
const no = (...reasons: string[]): Verdict => ({ ok: false, reasons });
/** Refused: out of reach reads as out of scope, in reach as not allowed. */
const refusal = (inReach: boolean) => (inReach ? no('not_allowed') : no('out_of_scope', 'not_allowed'));

/** One field of a master row: the organization's keepers, or narrower where DOMAIN.md says. */
export function mayUpdate(
  world: World,
  who: Who,
  table: string,
  id: string,
  column: string,
  value: unknown,
): Verdict {
  const row = world.get(`${table}/${id}`);
  if (!row) return no('out_of_scope');
  const org =
    table === 'organizations'
      ? id
      : table === 'partnerships'
        ? row.client_organization_id
        : row.organization_id;
  const s = standingOn(world, who, org);
  // A partnership is also within its partner's reach (the partner's side of it).
  const inReach =
    reaches(world, who, org, table === 'products' ? id : undefined) ||
    (table === 'partnerships' &&
      who !== 'firm' &&
      ACTORS[who].links.includes(String(row.partner_organization_id)));
  // The organization a row belongs to and a partnership's two ends never change (a product
  // moves only by the firm's administrator).
  if (
    ['client_organization_id', 'partner_organization_id'].includes(column) ||
    (table !== 'products' && column === 'organization_id')
  )
    return inReach ? no('field_fixed') : no('out_of_scope', 'field_fixed');
  if (!inReach) return no('out_of_scope', 'not_allowed', 'field_fixed');
  if (table === 'organizations') {
    if (column === 'name') return KEEPS.includes(s!) ? yes : refusal(true);
    if (column === 'currency') return FIRM.includes(s!) ? yes : refusal(true);
  }
  if (table === 'products') {
    if (column === 'name') return [...KEEPS, 'limited partner'].includes(s!) ? yes : refusal(true);
    // Prices are the firm administrator's; a product moves only by the firm's administrator.
    if (column === 'public_price_minor') return s === 'firm administrator' ? yes : refusal(true);
    // A move out of the writer's reach also reads as out of scope.
    if (column === 'organization_id')
      return s === 'firm administrator'
        ? yes
        : reaches(world, who, value)
          ? refusal(true)
          : no('not_allowed', 'out_of_scope');
  }
  if (table === 'memberships' && column === 'role') {
    if (!KEEPS.includes(s!)) return refusal(true);
    // Only a legal representative (or the firm) names another legal representative.
    if (value === 'legal_representative' && !['legal representative', ...FIRM].includes(s!))
      return refusal(true);
    return yes;
  }
  if (table === 'partnerships') {
    // Only the client's legal representatives (or the firm's administrator) grant or widen.
    const client = s === 'legal representative' || s === 'firm administrator';
    if (column === 'access') return client ? yes : refusal(true);
    if (column === 'status') {
      if (client) return yes;
      // The partner's side (its own legal representative) withdraws or ends; it never activates.
      const partnerSide =
        who !== 'firm' &&
        roleIn(world, who as ActorName, String(row.partner_organization_id)) === 'legal representative';
      return partnerSide && ['withdrawn', 'ended'].includes(String(value)) ? yes : refusal(true);
    }
  }
  if (table === 'invoices' && column === 'notes') {
    const issuer = standingOn(world, who, row.issuer_organization_id);
    if (row.status !== 'draft') return no('invoice_issued_immutable', 'not_allowed', 'out_of_scope');
    return issuer && [...FIRM, ...OWN_ACCOUNTING].includes(issuer) ? yes : no('not_allowed', 'out_of_scope');
  }
  return no('not_allowed');
}

/** The firm's price book, tiers and partner discounts: its administrator's, within their ranges. */
export function mayPrice(who: Who, table: string, column: string, value: number): Verdict {
  const ranges: Record<string, [number, number]> = {
    'price_book.public_price_minor': [1, 100_000_000_00],
    'partner_rates.discount_bp': [0, 3_500],
    'degressive_tiers.rate_bp': [0, 5_000],
  };
  const [min, max] = ranges[`${table}.${column}`]!;
  if (value < min || value > max) return no('value_invalid');
  return who === 'firm' ? yes : no('not_allowed', 'out_of_scope');
}

/** A new row of an organization: tags by anyone of it or its complete partner. */
export function mayCreateTag(world: World, who: Who, org: string): Verdict {
  const s = standingOn(world, who, org);
  if (!reaches(world, who, org)) return no('out_of_scope', 'not_allowed');
  return s && s !== 'limited partner' ? yes : no('not_allowed');
}

export function balanceOf(world: World, org: string): number {
  return rowsOf(world, 'ledger_entries')
    .filter((e) => e.organization_id === org && e.currency === 'CHF')
    .reduce((sum, e) => sum + Number(e.amount_minor), 0);
}

/** Top-ups and withdrawals are the firm's; the balance never goes below zero. */
export function mayBook(world: World, who: Who, org: string, amount: number): Verdict {
  // Refused whoever else asks; whether the account is even in their view is the hub's scope.
  if (!FIRM.includes(standingOn(world, who, org) ?? 'member')) return no('not_allowed', 'out_of_scope');
  return balanceOf(world, org) + amount < 0 ? no('ledger_below_zero') : yes;
}

export function paidOf(world: World, invoiceId: string): number {
  return rowsOf(world, 'payments')
    .filter((p) => p.invoice_id === invoiceId && p.outcome === 'applied')
    .reduce((sum, p) => sum + Number(p.amount_minor), 0);
}

/**
 * A payer pays its own invoice from its own prepaid balance, never more than due: the
 * payment, then the debit that carries it. The firm books any payment.
 */
export function mayPayFromPrepaid(
  world: World,
  who: Who,
  payer: string,
  invoiceId: string,
  amount: number,
): { payment: Verdict; debit: Verdict } {
  const s = standingOn(world, who, payer);
  if (!reaches(world, who, payer)) {
    const out = no('out_of_scope', 'not_allowed');
    return { payment: out, debit: out };
  }
  const invoice = world.get(`invoices/${invoiceId}`);
  const due = askedOf(world, invoiceId) - paidOf(world, invoiceId);
  const balance = balanceOf(world, payer);
  // From the prepaid balance, whoever books it: a payment the balance cannot carry is no payment.
  const unfunded = no('ledger_below_zero');
  if (s && FIRM.includes(s))
    return balance < amount ? { payment: unfunded, debit: unfunded } : { payment: yes, debit: yes };
  if (!s || ![...OWN_ACCOUNTING, 'complete partner, partner pays'].includes(s)) {
    const out = no('not_allowed', 'out_of_scope');
    return { payment: out, debit: out };
  }
  if (
    !invoice ||
    invoice.organization_id !== payer ||
    !['unpaid', 'partially_paid'].includes(String(invoice.status))
  ) {
    const out = no('payment_not_own_invoice');
    return { payment: out, debit: out };
  }
  if (amount > due) {
    const out = no('payment_over_due');
    return { payment: out, debit: out };
  }
  if (balance < amount) return { payment: unfunded, debit: unfunded };
  return { payment: yes, debit: yes };
}

/** What an invoice asks: the sum of its lines (the book's lines carry no discount and no VAT). */
export function askedOf(world: World, invoiceId: string): number {
  const lines = world.get(`invoices/${invoiceId}`)?.lines;
  if (!Array.isArray(lines)) return 0;
  return lines.reduce((sum: number, l: Row) => {
    if (l.discountBp || l.vatRateBp) throw new Error('the model prices plain lines only');
    return sum + (Number(l.quantityMilli) * Number(l.unitPriceMinor)) / 1000;
  }, 0);
}

/** The key under which the model keeps what the hub gave back for an invoice paid beyond what it asks. */
export const depositKey = (invoiceId: string) => `ledger_entries/overpaid:${invoiceId}`;

/**
 * Money that arrives for a settled invoice goes to the payer's prepaid account (DOMAIN.md
 * "Payment"): the hub books the excess once, as its own deposit.
 */
export function settle(world: World, invoiceId: string): void {
  const inv = world.get(`invoices/${invoiceId}`);
  if (!inv) return;
  const owed = Math.max(0, paidOf(world, invoiceId) - askedOf(world, invoiceId));
  if (owed > 0)
    world.set(depositKey(invoiceId), {
      organization_id: inv.organization_id,
      currency: 'CHF',
      kind: 'deposit',
      invoice_id: invoiceId,
      amount_minor: owed,
    });
}

/** The hub's own deposits for overpaid invoices, summed per invoice under the model's keys. */
export function foldHubDeposits(world: World): World {
  const out: World = new Map();
  for (const [k, r] of world) {
    if (!(k.startsWith('ledger_entries/') && r.note === 'overpaid_at_sync')) {
      out.set(k, r);
      continue;
    }
    const key = depositKey(String(r.invoice_id));
    const was = out.get(key);
    out.set(key, {
      organization_id: r.organization_id,
      currency: r.currency,
      kind: r.kind,
      invoice_id: r.invoice_id,
      amount_minor: Number(was?.amount_minor ?? 0) + Number(r.amount_minor),
    });
  }
  return out;
}
