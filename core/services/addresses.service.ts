import { and, asc, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '#db/open';
import { type BillingAddress, billingAddresses, organizations, products } from '#db/schema/index';
import type { CreateAddress, UpdateAddress } from '#common/addresses.schema';
import { fail } from '#common/errors';
import { composeStreetLine, splitStreetLine } from '#common/street-line';
import type { Ctx } from './context';
import { getOrganization } from './organizations.service';
import { nameOrder } from './query-helpers';

export function listAddresses(ctx: Ctx, organizationId: string): BillingAddress[] {
  getOrganization(ctx, organizationId);
  return ctx.db
    .select()
    .from(billingAddresses)
    .where(and(eq(billingAddresses.organizationId, organizationId), isNull(billingAddresses.deletedAt)))
    .orderBy(desc(billingAddresses.isDefault), asc(billingAddresses.label))
    .all();
}

export function getAddress(ctx: Ctx, id: string): BillingAddress {
  return (
    ctx.db
      .select()
      .from(billingAddresses)
      .where(and(eq(billingAddresses.id, id), isNull(billingAddresses.deletedAt)))
      .get() ?? fail('address_not_found', { id })
  );
}

/** The organization's default billing address, if it has one (any connection or transaction). */
export function defaultAddress(db: Db, organizationId: string): BillingAddress | undefined {
  return defaultAddressFinder(db)(organizationId);
}

/** The same lookup prepared once, for a caller that asks it of many organizations (an import). */
export function defaultAddressFinder(db: Db): (organizationId: string) => BillingAddress | undefined {
  const query = db
    .select()
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, sql.placeholder('id')),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .prepare();
  return (id) => query.get({ id });
}

export function createAddress(ctx: Ctx, input: z.infer<typeof CreateAddress>): BillingAddress {
  return ctx.write('billing_address.created', (tx) => {
    getOrganization(ctx, input.organizationId);
    const previousDefault = defaultAddress(tx.db, input.organizationId);
    // The first address of an organization is its default: there is always one to bill to.
    const isDefault = input.isDefault || !previousDefault;
    if (isDefault && previousDefault) tx.update(billingAddresses, previousDefault.id, { isDefault: false });
    return tx.insert(billingAddresses, {
      organizationId: input.organizationId,
      label: input.label,
      recipient: input.recipient,
      ...streetFields(input, input.country),
      line2: input.line2 ?? null,
      postalCode: input.postalCode,
      city: input.city,
      country: input.country,
      email: input.email ?? null,
      isDefault,
    });
  });
}

export function updateAddress(ctx: Ctx, input: z.infer<typeof UpdateAddress>): BillingAddress {
  return ctx.write('billing_address.updated', (tx) => {
    const current = getAddress(ctx, input.id);
    const { id, line1, street, buildingNumber, ...patch } = input;
    const country = input.country ?? current.country;
    // A new street (either form) replaces both forms; a new country may reorder the printed line.
    const streetChanged = line1 !== undefined || street !== undefined || buildingNumber !== undefined;
    const next = streetChanged
      ? streetFields(
          {
            line1,
            street: street === undefined && line1 === undefined ? current.street : street,
            buildingNumber:
              buildingNumber === undefined && line1 === undefined ? current.buildingNumber : buildingNumber,
          },
          country,
        )
      : input.country && current.street
        ? streetFields({ street: current.street, buildingNumber: current.buildingNumber }, country)
        : {};
    return tx.update(billingAddresses, id, { ...patch, ...next });
  });
}

export function setDefaultAddress(ctx: Ctx, id: string): BillingAddress {
  return ctx.write('billing_address.default_changed', (tx) => {
    const address = getAddress(ctx, id);
    const previous = defaultAddress(tx.db, address.organizationId);
    if (previous?.id === id) return address;
    if (previous) tx.update(billingAddresses, previous.id, { isDefault: false });
    return tx.update(billingAddresses, id, { isDefault: true });
  });
}

export function removeAddress(ctx: Ctx, id: string): BillingAddress {
  return ctx.write('billing_address.deleted', (tx) => {
    const address = getAddress(ctx, id);
    const others = tx.db
      .select()
      .from(billingAddresses)
      .where(
        and(
          eq(billingAddresses.organizationId, address.organizationId),
          ne(billingAddresses.id, id),
          isNull(billingAddresses.deletedAt),
        ),
      )
      .all();
    // Removing the default while others remain would leave renewals without an address:
    // the user picks the new default first.
    if (address.isDefault && others.length > 0) fail('default_address_required');
    // Products renewing under this address fall back to the organization's default.
    const renewing = tx.db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.billingAddressId, id), isNull(products.deletedAt)))
      .all();
    for (const p of renewing) tx.update(products, p.id, { billingAddressId: null });
    return tx.remove(billingAddresses, id);
  });
}

/**
 * The street in both forms: given structured, the printed line is composed; given as one line,
 * it is split when the rule can (street-line.ts), else the street stays null and the address
 * is listed by unsplitAddresses for the accountant.
 */
function streetFields(
  input: { line1?: string | null; street?: string | null; buildingNumber?: string | null },
  country: string,
): { line1: string; street: string | null; buildingNumber: string | null } {
  if (input.street) {
    const buildingNumber = input.buildingNumber?.trim() || null;
    return {
      line1: composeStreetLine(input.street, buildingNumber, country),
      street: input.street.trim(),
      buildingNumber,
    };
  }
  const line1 = input.line1?.trim() ?? '';
  const parts = splitStreetLine(line1);
  return { line1, street: parts?.street ?? null, buildingNumber: parts?.buildingNumber ?? null };
}

export interface UnsplitAddress {
  id: string;
  organizationId: string;
  organizationName: string;
  label: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
}

/** Addresses whose street is one line nobody has split yet (the QR-bill v2.3 needs street and number apart). */
export function unsplitAddresses(ctx: Ctx, organizationId?: string): UnsplitAddress[] {
  return ctx.db
    .select({
      id: billingAddresses.id,
      organizationId: billingAddresses.organizationId,
      organizationName: organizations.name,
      label: billingAddresses.label,
      line1: billingAddresses.line1,
      postalCode: billingAddresses.postalCode,
      city: billingAddresses.city,
      country: billingAddresses.country,
    })
    .from(billingAddresses)
    .innerJoin(organizations, eq(organizations.id, billingAddresses.organizationId))
    .where(
      and(
        isNull(billingAddresses.deletedAt),
        isNull(billingAddresses.street),
        organizationId ? eq(billingAddresses.organizationId, organizationId) : undefined,
      ),
    )
    .orderBy(asc(nameOrder('organizations')), asc(organizations.id), asc(billingAddresses.label))
    .all();
}
