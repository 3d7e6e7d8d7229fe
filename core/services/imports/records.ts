// Organizations and products from a file, one row at a time through the same services as a
// person typing them (VAT numbers checked, tag names unique…).
import { and, eq, isNull, sql } from 'drizzle-orm';
import { addDays, todayIso } from '#common/dates';
import type { BillingFrequency, EinvoiceFormat, ProductKind, ProductStatus } from '#common/enums';
import { fail } from '#common/errors';
import { type Currency, type Organization, organizations, tags } from '#db/schema/index';
import type { ImportKind, ImportValue } from '../../import/csv-import';
import { placeTaxId } from '../../import/tax-id-column';
import type { Ctx } from '../context';
import { createOrganization } from '../organizations.service';
import { createProduct } from '../products.service';
import { createTag } from '../tags.service';

const str = (v: ImportValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

/** The live organization a file names, by name (without case) or by id. */
export function organizationByName(ctx: Ctx, name: string): Organization {
  return organizationFinder(ctx)(name) ?? fail('import_organization_unknown', { name });
}

/**
 * The lookup of organizations by name or id as one prepared query: an invoice import asks
 * it once per payer, and building the query each time cost more than running it.
 */
export function organizationFinder(ctx: Ctx): (name: string) => Organization | undefined {
  const query = ctx.db
    .select()
    .from(organizations)
    .where(
      and(
        isNull(organizations.deletedAt),
        sql`(${organizations.name} = ${sql.placeholder('name')} collate nocase or ${organizations.id} = ${sql.placeholder('name')})`,
      ),
    )
    .prepare();
  return (name) => query.get({ name });
}

export function importRow(
  ctx: Ctx,
  kind: ImportKind,
  v: Record<string, ImportValue>,
  options: { acceptDuplicateTaxIds: boolean },
): void {
  if (kind === 'organizations') {
    const taxIds = placeTaxId(str(v.taxId), String(v.country), { vatNumber: str(v.vatNumber), uid: str(v.uid) });
    // The same company twice is a mistake in the file or a second import: refused by its tax
    // id, unless the person says several organizations share it (a VAT group, branches).
    for (const number of options.acceptDuplicateTaxIds ? [] : [taxIds.vatNumber, taxIds.uid]) {
      if (!number) continue;
      const compact = number.replace(/[\s.-]/g, '').toUpperCase();
      const holder = ctx.raw
        .prepare(
          `SELECT name FROM organizations WHERE deleted_at IS NULL AND (
             upper(replace(replace(replace(coalesce(vat_number, ''), ' ', ''), '.', ''), '-', '')) = ?
             OR upper(replace(replace(replace(coalesce(uid, ''), ' ', ''), '.', ''), '-', '')) = ?)`,
        )
        .pluck()
        .get(compact, compact) as string | undefined;
      if (holder) fail('import_tax_id_exists', { number, name: holder });
    }
    createOrganization(ctx, {
      kind: (str(v.kind) as 'company' | 'individual' | null) ?? 'company',
      name: String(v.name),
      country: String(v.country),
      currency: String(v.currency) as Currency,
      ...taxIds,
      siren: str(v.siren),
      siret: str(v.siret),
      leitwegId: str(v.leitwegId),
      peppolId: str(v.peppolId),
      shortName: str(v.shortName),
      einvoiceFormat: (str(v.einvoiceFormat) as EinvoiceFormat | null) ?? null,
    });
    return;
  }
  const org = organizationByName(ctx, String(v.organization));
  const tagIds: string[] = [];
  for (const name of (str(v.tags) ?? '')
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    const existing = ctx.db
      .select({ id: tags.id })
      .from(tags)
      .where(
        and(
          eq(tags.organizationId, org.id),
          isNull(tags.deletedAt),
          sql`${tags.name} = ${name} collate nocase`,
        ),
      )
      .get();
    tagIds.push(existing?.id ?? createTag(ctx, { organizationId: org.id, name }).id);
  }
  createProduct(ctx, {
    organizationId: org.id,
    // The schema's enum readers only let these columns' own values through (import-schemas.ts).
    kind: String(v.kind) as ProductKind,
    name: String(v.name),
    publicPriceMinor: Number(v.price),
    billingFrequency: String(v.billingFrequency) as BillingFrequency,
    nextRenewalOn: str(v.nextRenewalOn) ?? addDays(todayIso(ctx.clock.now()), 365),
    autoRenew:
      v.autoRenew === null || v.autoRenew === undefined
        ? true
        : Boolean(v.autoRenew === true || v.autoRenew === 'true'),
    status: (str(v.status) as ProductStatus | null) ?? 'active',
    billingAddressId: null,
    tagIds,
  });
}
