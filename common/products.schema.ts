import { z } from 'zod';
import { BILLING_FREQUENCIES, PRODUCT_KINDS, PRODUCT_STATUSES } from './enums';
import { ActingOrganizationId, Id, IsoDate, Name } from './common.schema';

export type { BillingFrequency } from './enums';

export const PRODUCT_SORTS = ['name', 'kind', 'status', 'nextRenewalOn', 'publicPriceMinor'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

const Price = z.number().int().min(0).max(100_000_000_00);

export const CreateProduct = z.object({
  organizationId: Id,
  kind: z.enum(PRODUCT_KINDS),
  name: Name,
  publicPriceMinor: Price,
  billingFrequency: z.enum(BILLING_FREQUENCIES),
  nextRenewalOn: IsoDate,
  autoRenew: z.boolean().default(true),
  status: z.enum(PRODUCT_STATUSES).default('active'),
  billingAddressId: Id.nullish(),
  tagIds: z.array(Id).max(100).default([]),
  /** A partner orders for a client that gave it complete access; the product lives with the client. */
  actingOrganizationId: ActingOrganizationId,
});
export const UpdateProduct = z.object({
  id: Id,
  kind: z.enum(PRODUCT_KINDS).optional(),
  name: Name.optional(),
  publicPriceMinor: Price.optional(),
  billingFrequency: z.enum(BILLING_FREQUENCIES).optional(),
  nextRenewalOn: IsoDate.optional(),
  autoRenew: z.boolean().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  billingAddressId: Id.nullish(),
  /** The user saw the re-billing warning and confirmed. */
  confirmRebilling: z.boolean().default(false),
  /** When given, the product's tags become exactly these (in the same transaction). */
  tagIds: z.array(Id).max(100).optional(),
  actingOrganizationId: ActingOrganizationId,
});
export const CheckFrequencyChange = z.object({
  id: Id,
  billingFrequency: z.enum(BILLING_FREQUENCIES),
  /** The renewal date being saved with the change, if it changes too. */
  nextRenewalOn: IsoDate.optional(),
  actingOrganizationId: ActingOrganizationId,
});
/** One product, read (or deleted) as an organization. */
export const ProductView = z.object({ id: Id, actingOrganizationId: ActingOrganizationId });

export const ListProducts = z.object({
  organizationId: Id,
  tagIds: z.array(Id).max(50).default([]),
  tagMode: z.enum(['any', 'all']).default('any'),
  statuses: z.array(z.enum(PRODUCT_STATUSES)).default([]),
  kinds: z.array(z.enum(PRODUCT_KINDS)).default([]),
  search: z.string().max(200).optional(),
  sort: z.enum(PRODUCT_SORTS).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  /** Opaque keyset cursor from the previous page. */
  cursor: z.string().max(500).nullish(),
  limit: z.number().int().min(1).max(1000).default(200),
  actingOrganizationId: ActingOrganizationId,
});
export type ListProducts = z.infer<typeof ListProducts>;
export const CountProducts = ListProducts.omit({ cursor: true, limit: true, sort: true, direction: true });
