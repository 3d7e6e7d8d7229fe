import { z } from 'zod';
import { CURRENCIES, PRODUCT_KINDS } from './enums';
import { Id } from './common.schema';

// Mirrors db/schema/partners.ts (kept literal here: the renderer reads domain, not the store).
export const PartnerAccess = z.enum(['limited', 'complete']);
export const PartnerPayment = z.enum(['client', 'partner']);
export const Side = z.enum(['partner', 'client']);
const ProductKind = z.enum(PRODUCT_KINDS);
const Bp = z.number().int().min(0).max(10_000);
/** A partner's discount: at most 35 % (the dealer programme's cap). Also the hub's check (common/authority). */
export const DiscountBp = z.number().int().min(0).max(3_500);
/** A degressive (volume) rate: below 100 %, at most 50 %. Also the hub's check. */
export const DegressiveBp = z.number().int().min(0).max(5_000);
/** A public price in the price book: never zero. Also the hub's check. */
export const PublicPriceMinor = z.number().int().min(1).max(100_000_000_00);
const Quantity = z.number().int().min(1).max(1_000_000);
const Minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PartnershipRef = z.object({ partnershipId: Id });
export const ListPartnerships = z.object({
  organizationId: Id,
  role: z.enum(['partner', 'client', 'any']).default('any'),
});

/** A partner invites a client: by organization, or by a legal representative's e-mail. */
export const InviteClient = z
  .object({
    partnerOrganizationId: Id,
    clientOrganizationId: Id.optional(),
    clientEmail: z.string().trim().toLowerCase().email().optional(),
    access: PartnerAccess,
    payment: PartnerPayment.optional(),
  })
  .refine((v) => (v.clientOrganizationId ? 1 : 0) + (v.clientEmail ? 1 : 0) === 1, {
    message: 'give either clientOrganizationId or clientEmail',
  });

/** A client adds a partner (limited with products, or complete with a payment choice). */
export const AddPartner = z.object({
  clientOrganizationId: Id,
  partnerOrganizationId: Id,
  access: PartnerAccess,
  payment: PartnerPayment.optional(),
  productIds: z.array(Id).max(10_000).default([]),
});

/** The invited side accepts; the client may grant different access than requested. */
export const AcceptPartnership = z.object({
  partnershipId: Id,
  access: PartnerAccess.optional(),
  payment: PartnerPayment.optional(),
  productIds: z.array(Id).max(10_000).optional(),
});

export const EndPartnership = z.object({
  partnershipId: Id,
  side: Side.optional(),
  confirm: z.boolean().default(false),
});

export const ChangePayment = z.object({ partnershipId: Id, payment: PartnerPayment });
export const AllocateProducts = z.object({ partnershipId: Id, productIds: z.array(Id).min(1).max(10_000) });

export const SetDiscount = z.object({
  partnerOrganizationId: Id,
  productKind: ProductKind,
  discountBp: DiscountBp,
});
export const SetDegressiveTiers = z.object({
  productKind: z.enum(['web_hosting', 'mail_hosting']),
  tiers: z
    .array(z.object({ minQuantity: Quantity, rateBp: DegressiveBp }))
    .max(50)
    .refine((t) => new Set(t.map((x) => x.minQuantity)).size === t.length, { message: 'thresholds repeat' }),
});
export const SetPublicPrice = z.object({
  productKind: ProductKind,
  currency: z.enum(CURRENCIES),
  publicPriceMinor: PublicPriceMinor,
});

/** A quote from the price book; the overrides make it a what-if. */
export const QuoteInput = z.object({
  partnerOrganizationId: Id,
  productKind: ProductKind,
  quantity: Quantity,
  payment: PartnerPayment.default('partner'),
  orderedBy: Side.default('partner'),
  access: PartnerAccess.default('complete'),
  currency: z.enum(CURRENCIES).optional(),
  publicPriceMinor: Minor.optional(),
  discountBp: DiscountBp.optional(),
  degressiveBp: Bp.optional(),
});

/** An order or renewal event within a partnership. */
export const OrderEvent = z.object({
  partnershipId: Id,
  orderedBy: Side,
  /** Whose payment methods paid; defaults to the client's when it orders, else to the arrangement. */
  payment: PartnerPayment.optional(),
  productKind: ProductKind,
  productId: Id.optional(),
  quantity: Quantity.default(1),
  /** Public price of one unit; defaults to the price book. */
  publicUnitMinor: Minor.optional(),
  currency: z.enum(CURRENCIES).optional(),
});
export const CreditCashback = OrderEvent.extend({ invoiceId: Id.optional() });

export const PartnerDashboard = z.object({
  partnerOrganizationId: Id,
  year: z.number().int().min(2000).max(2100).optional(),
});

/** The client changes an active partnership's access (limited ↔ complete) and what goes with it. */
export const ChangeAccess = z.object({
  partnershipId: Id,
  access: PartnerAccess,
  payment: PartnerPayment.optional(),
  productIds: z.array(Id).max(10_000).optional(),
});

/** The partner marks its notices seen: the ones given, or all of them. */
export const MarkNoticesSeen = z.object({
  organizationId: Id,
  noticeIds: z.array(Id).min(1).max(1_000).optional(),
});
