import type { Statement } from 'better-sqlite3';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { billingAddresses, memberships, organizations, products, tags } from '#db/schema/index';
import type { Organization } from '#db/schema/index';
import { fail } from '#common/errors';
import type {
  CheckTaxId,
  CreateOrganization,
  ListOrganizations,
  PageOrganizations,
  UpdateOrganization,
} from '#common/organizations.schema';
import { colorFor, initialsOf } from '#common/organization-display';
import { ISSUER_CODE_PATTERN, issuerCodeOf } from '#common/invoice-numbering';
import { checkSwissUid, checkTaxId, EU_VAT_COUNTRIES, type VatCheck } from '#common/vat';
import { compactIban, isQrIban, isValidIban } from '#common/payment-reference';
import { checkBic, checkLeitwegId, checkPeppolId, checkSiren, checkSiret } from '#common/einvoice-ids';
import type { EinvoiceFields } from '#common/organizations.schema';
import { rowFromSql } from './batch-writer';
import type { Ctx } from './context';
import { decodeCursor, encodeCursor, nameOrder } from './query-helpers';
import { sortKey } from '#db/sort-key';
import { matchingIdsSql } from './search/search.service';
import { listTags } from './tags.service';
import {
  actingOrganization,
  assertVisible,
  organizationVisibleSql,
  productVisibleSql,
  seesWhole,
} from './visibility';

export interface OrganizationSummary extends Organization {
  productCount: number;
  memberCount: number;
  initials: string;
}

export function listOrganizations(ctx: Ctx, input: z.infer<typeof ListOrganizations>): OrganizationSummary[] {
  return organizationRows(ctx, input, null);
}

/**
 * One page of the same list. Keyset on (the name's sort key, id) with a row-value comparison:
 * constant time at any depth, where OFFSET grows with the page number.
 */
export function pageOrganizations(
  ctx: Ctx,
  input: PageOrganizations,
): { rows: OrganizationSummary[]; nextCursor: string | null } {
  let after: [string, string] | null = null;
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    if (cursor?.length !== 2 || typeof cursor[0] !== 'string' || typeof cursor[1] !== 'string')
      fail('invalid_input', { field: 'cursor' });
    after = [cursor[0], cursor[1]];
  }
  const rows = organizationRows(ctx, input, { after, limit: input.limit + 1 });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > input.limit && last ? encodeCursor([sortKey(last.name), last.id]) : null,
  };
}

function organizationRows(
  ctx: Ctx,
  input: { search?: string | undefined; actingOrganizationId?: string | null | undefined },
  page: { after: [string, string] | null; limit: number } | null,
): OrganizationSummary[] {
  // Spelled out: drizzle drops table qualifiers inside sql``, which would make a correlated
  // subquery compare the inner table's columns with themselves.
  const acting = input.actingOrganizationId;
  if (acting) actingOrganization(ctx, acting);
  // As a partner, a client's product count is what the partner may see of it (a limited
  // partner must not learn how many products it was not given).
  const productCount = acting
    ? sql<number>`(select count(*) from products where products.organization_id = organizations.id
        and products.deleted_at is null and ${productVisibleSql(acting)})`
    : sql<number>`(select count(*) from products p where p.organization_id = organizations.id and p.deleted_at is null)`;
  const memberCount = sql<number>`(select count(*) from memberships m where m.organization_id = organizations.id and m.deleted_at is null)`;
  const search = input.search?.trim();
  const byName = nameOrder('organizations');
  const query = ctx.db
    .select({ org: organizations, productCount, memberCount })
    .from(organizations)
    .where(
      and(
        isNull(organizations.deletedAt),
        // Name (accents and case folded), UID/VAT number, city: the search index.
        search ? (matchingIdsSql('organization', organizations.id, search) ?? undefined) : undefined,
        acting ? organizationVisibleSql(acting) : undefined,
        page?.after
          ? sql`(${byName}, ${organizations.id}) > (${page.after[0]}, ${page.after[1]})`
          : undefined,
      ),
    )
    // The id breaks ties between equal names, so that a page boundary never splits them.
    .orderBy(asc(byName), asc(organizations.id));
  const rows = page ? query.limit(page.limit).all() : query.all();
  return rows.map((r) => ({
    ...r.org,
    productCount: r.productCount,
    memberCount: r.memberCount,
    initials: initialsOf(r.org.name),
  }));
}

export function getOrganization(ctx: Ctx, id: string): Organization {
  let query = byIdQueries.get(ctx.raw);
  if (!query) {
    query = ctx.raw.prepare('SELECT * FROM organizations WHERE id = ? AND deleted_at IS NULL');
    byIdQueries.set(ctx.raw, query);
  }
  const row = query.get(id) as Record<string, unknown> | undefined;
  if (!row) fail('organization_not_found', { id });
  return rowFromSql(organizations, row) as Organization;
}

/**
 * The lookup prepared once per connection, a plain statement mapped by rowFromSql: read for
 * nearly every write and every invoice (a billing run reads every payer), where drizzle's row
 * mapping of this wide table cost several times the read.
 */
const byIdQueries = new WeakMap<Ctx['raw'], Statement>();

/** One organization as another sees it: itself, its clients and its partners (active partnerships). */
export function getOrganizationAs(ctx: Ctx, id: string, actingOrganizationId?: string): Organization {
  if (actingOrganizationId) actingOrganization(ctx, actingOrganizationId);
  const org = getOrganization(ctx, id);
  assertVisible(ctx, actingOrganizationId, 'organization', id);
  return org;
}

interface TaxIds {
  vatNumber: string | null;
  uid: string | null;
}

/**
 * The seeds' rule: an EU company may carry an EU VAT number (valid for its own member
 * state); a Swiss company carries a UID and never an EU VAT number; individuals carry none.
 */
export function resolveTaxIds(
  kind: Organization['kind'],
  country: string,
  vatNumber: string | null | undefined,
  uid: string | null | undefined,
): TaxIds {
  const vat = vatNumber?.trim() || null;
  const swissUid = uid?.trim() || null;
  if (kind === 'individual') {
    if (vat || swissUid) fail('vat_only_companies');
    return { vatNumber: null, uid: null };
  }
  let normalizedUid: string | null = null;
  if (swissUid) {
    if (country !== 'CH') fail('uid_only_swiss_companies', { country });
    const check = checkSwissUid(swissUid);
    if (!check.valid) fail('uid_invalid', { number: swissUid, reason: check.reason });
    normalizedUid = check.normalized;
  }
  let normalizedVat: string | null = null;
  if (vat) {
    if (!EU_VAT_COUNTRIES.includes(country)) fail('vat_not_for_country', { country, number: vat });
    const check = checkTaxId(vat, country);
    if (!check.valid) fail('vat_invalid', { number: vat, reason: check.reason, country });
    normalizedVat = check.normalized;
  }
  return { vatNumber: normalizedVat, uid: normalizedUid };
}

export function createOrganization(ctx: Ctx, input: CreateOrganization): Organization {
  const taxIds = resolveTaxIds(input.kind, input.country, input.vatNumber, input.uid);
  return ctx.write('organization.created', (tx) =>
    tx.insert(organizations, {
      kind: input.kind,
      name: input.name,
      country: input.country,
      currency: input.currency,
      ...taxIds,
      color: input.color ?? colorFor(input.name),
      logo: input.logo ?? null,
      renewalReminderDays: input.renewalReminderDays ?? null,
      iban: normalizeIban(input.iban),
      paymentTermDays: input.paymentTermDays ?? 30,
      ...resolveEinvoiceFields(input.country, input, null),
      operationCategory: input.operationCategory ?? 'services',
      vatOnDebits: input.vatOnDebits ?? false,
      invoiceCode: invoiceCodeFor(ctx, null, input.invoiceCode),
      invoiceFooter: input.invoiceFooter || null,
      documentLocale: input.documentLocale ?? null,
    }),
  );
}

export function updateOrganization(ctx: Ctx, input: UpdateOrganization): Organization {
  return ctx.write('organization.updated', (tx) => {
    const current = getOrganization(ctx, input.id);
    const kind = input.kind ?? current.kind;
    const country = input.country ?? current.country;
    const taxIds = resolveTaxIds(
      kind,
      country,
      input.vatNumber === undefined ? current.vatNumber : input.vatNumber,
      input.uid === undefined ? current.uid : input.uid,
    );
    if (input.currency && input.currency !== current.currency) {
      // Prices are stored in the organization's currency; switching it would silently
      // reinterpret every amount.
      const priced = tx.db
        .select({ n: sql<number>`count(*)` })
        .from(products)
        .where(and(eq(products.organizationId, current.id), isNull(products.deletedAt)))
        .get();
      if ((priced?.n ?? 0) > 0) fail('currency_mismatch', { from: current.currency, to: input.currency });
    }
    return tx.update(organizations, input.id, {
      kind,
      country,
      ...taxIds,
      name: input.name,
      currency: input.currency,
      color: input.color,
      logo: input.logo,
      renewalReminderDays: input.renewalReminderDays,
      iban: input.iban === undefined ? undefined : normalizeIban(input.iban),
      paymentTermDays: input.paymentTermDays,
      ...resolveEinvoiceFields(country, input, current),
      operationCategory: input.operationCategory,
      vatOnDebits: input.vatOnDebits,
      invoiceCode:
        input.invoiceCode === undefined ? undefined : invoiceCodeFor(ctx, current.id, input.invoiceCode),
      invoiceFooter: input.invoiceFooter === undefined ? undefined : input.invoiceFooter || null,
      documentLocale: input.documentLocale,
    });
  });
}

/**
 * A chosen invoice code, upper-cased, refused when another organization of the book already
 * numbers with it (chosen or derived): the code is what keeps numbers apart across issuers.
 * A new code only changes the numbers issued from now on.
 */
function invoiceCodeFor(ctx: Ctx, selfId: string | null, code: string | null | undefined): string | null {
  const wanted = code?.trim().toUpperCase() || null;
  if (!wanted) return null;
  if (!ISSUER_CODE_PATTERN.test(wanted)) fail('issuer_code_invalid', { code: code ?? '' });
  for (const other of ctx.db
    .select({ id: organizations.id, name: organizations.name, invoiceCode: organizations.invoiceCode })
    .from(organizations)
    .where(isNull(organizations.deletedAt))
    .all()) {
    if (other.id !== selfId && issuerCodeOf(other) === wanted)
      fail('issuer_code_taken', { code: wanted, other: other.name });
  }
  return wanted;
}

export function deleteOrganization(ctx: Ctx, id: string): Organization {
  return ctx.write('organization.deleted', (tx) => {
    getOrganization(ctx, id);
    const held = tx.db
      .select({ n: sql<number>`count(*)` })
      .from(products)
      .where(and(eq(products.organizationId, id), isNull(products.deletedAt)))
      .get();
    if ((held?.n ?? 0) > 0) fail('organization_has_products', { count: held?.n ?? 0 });
    return tx.remove(organizations, id);
  });
}

export function checkTaxNumber(_ctx: Ctx, input: z.infer<typeof CheckTaxId>): VatCheck {
  if (input.country) return checkTaxId(input.number, input.country);
  const compact = input.number.trim().toUpperCase();
  return compact.startsWith('CHE')
    ? checkSwissUid(input.number)
    : checkTaxId(input.number, compact.slice(0, 2) === 'EL' ? 'GR' : compact.slice(0, 2));
}

/** The live rows of one organization in a table that carries organization_id and deleted_at. */
type OrganizationOwned = typeof products | typeof tags | typeof memberships | typeof billingAddresses;

function countLive(ctx: Ctx, table: OrganizationOwned, id: string, extra?: SQL): number {
  const row = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .where(and(eq(table.organizationId, id), isNull(table.deletedAt), extra))
    .get();
  return row?.n ?? 0;
}

export function organizationStats(ctx: Ctx, id: string, actingOrganizationId?: string) {
  getOrganizationAs(ctx, id, actingOrganizationId);
  const visible = actingOrganizationId ? productVisibleSql(actingOrganizationId) : undefined;
  // A limited partner counts what it sees: allocated products and their tags, no members or addresses.
  if (!seesWhole(ctx, actingOrganizationId, id)) {
    return {
      products: countLive(ctx, products, id, visible),
      tags: listTags(ctx, id, actingOrganizationId).length,
      members: 0,
      addresses: 0,
    };
  }
  return {
    products: countLive(ctx, products, id, visible),
    tags: countLive(ctx, tags, id),
    members: countLive(ctx, memberships, id),
    addresses: countLive(ctx, billingAddresses, id),
  };
}

function normalizeIban(iban: string | null | undefined): string | null {
  if (!iban?.trim()) return null;
  if (!isValidIban(iban)) fail('issuer_iban_invalid', { iban });
  return compactIban(iban);
}

type EinvoiceIds = Pick<
  Organization,
  | 'siren'
  | 'siret'
  | 'leitwegId'
  | 'peppolId'
  | 'bic'
  | 'qrIban'
  | 'shortName'
  | 'paymentMeansCode'
  | 'einvoiceFormat'
>;

/**
 * The e-invoice identifiers, each checked with its check digits and normalized. Fields left
 * out of an update keep their value, but are checked again against a changed country (a SIREN
 * does not survive a move out of France).
 */
export function resolveEinvoiceFields(
  country: string,
  input: EinvoiceFields,
  current: Organization | null,
): Partial<EinvoiceIds> {
  const pick = <K extends keyof EinvoiceIds>(key: K): string | null => {
    const given = input[key];
    if (given !== undefined) return given?.trim() || null;
    return (current?.[key] as string | null | undefined) ?? null;
  };
  const out: Partial<EinvoiceIds> = {};
  let siren = pick('siren');
  const siret = pick('siret');
  if ((siren || siret) && country !== 'FR') fail('french_ids_only_fr', { country });
  if (siret) {
    const check = checkSiret(siret);
    if (!check.valid) fail('siret_invalid', { number: siret, reason: check.reason });
    out.siret = check.normalized;
    // The SIREN is the SIRET's first nine digits: given alone, the SIRET brings it along.
    if (!siren) siren = check.normalized.slice(0, 9);
  } else out.siret = null;
  if (siren) {
    const check = checkSiren(siren);
    if (!check.valid) fail('siren_invalid', { number: siren, reason: check.reason });
    if (out.siret && !out.siret.startsWith(check.normalized))
      fail('siret_not_of_siren', { siren: check.normalized, siret: out.siret });
    out.siren = check.normalized;
  } else out.siren = null;
  const leitweg = pick('leitwegId');
  if (leitweg) {
    const check = checkLeitwegId(leitweg);
    if (!check.valid) fail('leitweg_invalid', { value: leitweg, reason: check.reason });
    out.leitwegId = check.normalized;
  } else out.leitwegId = null;
  const peppol = pick('peppolId');
  if (peppol) {
    const check = checkPeppolId(peppol);
    if (!check.valid) fail('peppol_id_invalid', { value: peppol, reason: check.reason });
    out.peppolId = check.normalized;
  } else out.peppolId = null;
  const bic = pick('bic');
  if (bic) {
    const check = checkBic(bic);
    if (!check.valid) fail('bic_invalid', { bic });
    out.bic = check.normalized;
  } else out.bic = null;
  const qrIban = pick('qrIban');
  if (qrIban) {
    if (!isValidIban(qrIban) || !isQrIban(compactIban(qrIban))) fail('qr_iban_invalid', { iban: qrIban });
    out.qrIban = compactIban(qrIban);
  } else out.qrIban = null;
  if (input.shortName !== undefined) out.shortName = input.shortName?.trim() || null;
  if (input.paymentMeansCode !== undefined) out.paymentMeansCode = input.paymentMeansCode ?? null;
  if (input.einvoiceFormat !== undefined) out.einvoiceFormat = input.einvoiceFormat ?? null;
  return out;
}
