// One search over organizations, people, products and invoices, answered from the FTS5
// index of migration 0013 (kept current by triggers in the same transaction as every write).
// Each kind is its own query with its own limit, so a flood of invoice matches never hides
// the one organization that was meant; invoices come newest first (the index's own rowid
// order, which SQLite walks backwards and stops at the limit: no sort over a million rows).
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Currency, InvoiceKind, InvoiceStatus } from '#common/enums';
import { searchWords } from '#common/search-text';
import type { SearchAll, SearchKind } from '#common/search.schema';
import type { Ctx } from '../context';
import { actingOrganization, allocatedTo, clientsOf, completeClientsOf, partnersOf } from '../visibility';
import { matchExpression } from './fts-match';

const INDEX: Record<SearchKind, { fts: string; amounts: boolean; large: boolean }> = {
  organization: { fts: 'search_organizations', amounts: false, large: false },
  person: { fts: 'search_people', amounts: false, large: false },
  product: { fts: 'search_products', amounts: false, large: false },
  invoice: { fts: 'search_invoices', amounts: true, large: true },
};

/** The FTS5 match expression for `text` in the index of `kind`; null when nothing searchable was typed. */
export function searchMatch(kind: SearchKind, text: string): string | null {
  return matchExpression(searchWords(text), { amounts: INDEX[kind].amounts, large: INDEX[kind].large });
}

/**
 * `column in (ids of `kind` matching text)`: how a list's search field filters through the
 * index. Null when nothing searchable was typed (the list is then not filtered).
 */
export function matchingIdsSql(kind: SearchKind, column: SQL | { getSQL(): SQL }, text: string): SQL | null {
  const match = searchMatch(kind, text);
  if (!match) return null;
  const fts = sql.raw(INDEX[kind].fts);
  return sql`${column} in (select d.ref_id from ${fts} f join search_docs d on d.doc_id = f.rowid
    where ${fts} match ${match})`;
}

export interface OrganizationHit {
  id: string;
  name: string;
  country: string;
  uid: string | null;
  vatNumber: string | null;
  city: string | null;
}
export interface PersonHit {
  id: string;
  name: string;
  email: string;
  /** An organization the person is a member of (where the person is shown), if any. */
  organizationId: string | null;
}
export interface ProductHit {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
}
export interface InvoiceHit {
  id: string;
  number: string | null;
  kind: InvoiceKind;
  status: InvoiceStatus;
  organizationId: string;
  customerName: string;
  currency: Currency;
  grossMinor: number;
  issuedOn: string;
}
export interface SearchResults {
  organizations: OrganizationHit[];
  people: PersonHit[];
  products: ProductHit[];
  invoices: InvoiceHit[];
}

const EMPTY: SearchResults = { organizations: [], people: [], products: [], invoices: [] };

export function searchAll(ctx: Ctx, input: z.infer<typeof SearchAll>): SearchResults {
  const words = searchWords(input.text);
  if (words.length === 0) return EMPTY;
  const acting = input.actingOrganizationId;
  if (acting) actingOrganization(ctx, acting);
  const limit = input.limit;
  const plain = matchExpression(words, { amounts: false });

  // The rules of visibility.ts, on the aliases of these statements.
  const orgVisible = acting
    ? sql`and (o.id = ${acting} or o.id in (${clientsOf(acting)}) or o.id in (${partnersOf(acting)}))`
    : sql``;

  const organizations = ctx.db.all<OrganizationHit>(sql`
    select o.id, o.name, o.country, o.uid, o.vat_number as vatNumber,
      (select a.city from billing_addresses a where a.organization_id = o.id and a.deleted_at is null
        order by a.is_default desc limit 1) as city
    from search_organizations f join search_docs d on d.doc_id = f.rowid join organizations o on o.id = d.ref_id
    where search_organizations match ${plain} ${orgVisible}
    order by f.rank limit ${limit}`);

  // People are the book's address book (people.list shows them all); as a partner, only
  // the people of the organizations it sees.
  const personVisible = acting
    ? sql`and p.id in (select m.person_id from memberships m join organizations o on o.id = m.organization_id
        where m.deleted_at is null ${orgVisible})`
    : sql``;
  const people = ctx.db.all<PersonHit>(sql`
    select p.id, p.name, p.email,
      (select m.organization_id from memberships m where m.person_id = p.id and m.deleted_at is null
        order by m.organization_id limit 1) as organizationId
    from search_people f join search_docs d on d.doc_id = f.rowid join people p on p.id = d.ref_id
    where search_people match ${plain} ${personVisible}
    order by f.rank limit ${limit}`);

  const productVisible = acting
    ? sql`and (p.organization_id = ${acting} or p.organization_id in (${completeClientsOf(acting)})
        or p.id in (${allocatedTo(acting)}))`
    : sql``;
  const products = ctx.db.all<ProductHit>(sql`
    select p.id, p.name, p.organization_id as organizationId, o.name as organizationName
    from search_products f join search_docs d on d.doc_id = f.rowid join products p on p.id = d.ref_id
      join organizations o on o.id = p.organization_id
    where search_products match ${plain} ${productVisible}
    order by f.rank limit ${limit}`);

  const invoiceVisible = acting ? sql`and i.organization_id = ${acting}` : sql``;
  // A one-character word is the start of nearly every invoice's number, amount or customer:
  // the index has no one-character prefixes (they would double its size), and merging every
  // term that starts with "m" took up to 180 ms at 200k invoices ("kaserei m" while typing).
  // In the invoice index such a word waits for its second character.
  const invoiceWords = words.filter((w) => w.tokens.join('').length >= 2);
  const invoiceMatch = matchExpression(invoiceWords, { amounts: true, large: true });
  const invoices = !invoiceMatch ? [] : ctx.db
    .all<Omit<InvoiceHit, 'customerName'> & { billToName: string | null; organizationName: string }>(sql`
    select i.id, i.number, i.kind, i.status, i.organization_id as organizationId,
      case when json_valid(i.bill_to) then i.bill_to ->> '$.name' end as billToName, o.name as organizationName,
      i.currency, i.gross_minor as grossMinor, i.issued_on as issuedOn
    from search_invoices f join search_docs d on d.doc_id = f.rowid join invoices i on i.id = d.ref_id
      join organizations o on o.id = i.organization_id
    where search_invoices match ${invoiceMatch} ${invoiceVisible}
    order by f.rowid desc limit ${limit}`)
    .map(({ billToName, organizationName, ...hit }) => ({ ...hit, customerName: billToName ?? organizationName }));
  return { organizations, people, products, invoices };
}
