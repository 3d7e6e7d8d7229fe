import { and, asc, desc, eq, isNull, ne } from 'drizzle-orm';
import type { z } from 'zod';
import { type BillingAddress, billingAddresses, products } from '#db/schema/index';
import type { CreateAddress, UpdateAddress } from '#common/addresses.schema';
import { fail } from '#common/errors';
import type { Ctx, WriteTx } from './context';
import { getOrganization } from './organizations.service';

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

function currentDefault(tx: WriteTx, organizationId: string): BillingAddress | undefined {
  return tx.db
    .select()
    .from(billingAddresses)
    .where(
      and(
        eq(billingAddresses.organizationId, organizationId),
        eq(billingAddresses.isDefault, true),
        isNull(billingAddresses.deletedAt),
      ),
    )
    .get();
}

export function createAddress(ctx: Ctx, input: z.infer<typeof CreateAddress>): BillingAddress {
  return ctx.write('billing_address.created', (tx) => {
    getOrganization(ctx, input.organizationId);
    const previousDefault = currentDefault(tx, input.organizationId);
    // The first address of an organization is its default: there is always one to bill to.
    const isDefault = input.isDefault || !previousDefault;
    if (isDefault && previousDefault) tx.update(billingAddresses, previousDefault.id, { isDefault: false });
    return tx.insert(billingAddresses, {
      organizationId: input.organizationId,
      label: input.label,
      recipient: input.recipient,
      line1: input.line1,
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
    getAddress(ctx, input.id);
    const { id, ...patch } = input;
    return tx.update(billingAddresses, id, patch);
  });
}

export function setDefaultAddress(ctx: Ctx, id: string): BillingAddress {
  return ctx.write('billing_address.default_changed', (tx) => {
    const address = getAddress(ctx, id);
    const previous = currentDefault(tx, address.organizationId);
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
