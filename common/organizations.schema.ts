import { z } from 'zod';
import { DOCUMENT_LOCALES, EINVOICE_FORMATS, OPERATION_CATEGORIES, ORGANIZATION_KINDS, PAYMENT_MEANS_CODES } from './enums';
import { LogoDataUrl } from './logo';
import { ActingOrganizationId, Color, Country, CurrencyCode, Id, Name } from './common.schema';


/** What e-invoices need (checked, with their check digits, by organizations.service). */
export const EinvoiceFields = z.object({
  siren: z.string().trim().max(20).nullish(),
  siret: z.string().trim().max(24).nullish(),
  leitwegId: z.string().trim().max(46).nullish(),
  peppolId: z.string().trim().max(60).nullish(),
  operationCategory: z.enum(OPERATION_CATEGORIES).optional(),
  vatOnDebits: z.boolean().optional(),
  paymentMeansCode: z.enum(PAYMENT_MEANS_CODES).nullish(),
  bic: z.string().trim().max(16).nullish(),
  qrIban: z.string().trim().max(42).nullish(),
  // The QR-bill's name field holds 70 characters.
  shortName: z.string().trim().max(70).nullish(),
  /** null: the default for the organization's country and kind (common/einvoice-format.ts). */
  einvoiceFormat: z.enum(EINVOICE_FORMATS).nullish(),
  /** Printed at the foot of every document it issues. */
  invoiceFooter: z.string().trim().max(300).nullish(),
  /** The language of its documents; null: from its country and postcode. */
  documentLocale: z.enum(DOCUMENT_LOCALES).nullish(),
});
export type EinvoiceFields = z.infer<typeof EinvoiceFields>;

export const CreateOrganization = EinvoiceFields.extend({
  kind: z.enum(ORGANIZATION_KINDS),
  name: Name,
  country: Country,
  currency: CurrencyCode,
  vatNumber: z.string().trim().max(40).nullish(),
  uid: z.string().trim().max(40).nullish(),
  color: Color.optional(),
  logo: LogoDataUrl.nullish(),
  renewalReminderDays: z.number().int().min(1).max(60).nullish(),
  iban: z.string().trim().max(42).nullish(),
  paymentTermDays: z.number().int().min(0).max(365).optional(),
  /** The code in the numbers it issues (INV-ACME-2026-…); null: one derived from its id. */
  invoiceCode: z.string().trim().max(12).nullish(),
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

/** Every field of a new organization, each optional (none has a default that would reset it). */
export const UpdateOrganization = CreateOrganization.partial().extend({ id: Id });
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

export const ListOrganizations = z
  .object({ search: z.string().max(200).optional(), actingOrganizationId: ActingOrganizationId })
  .default({});
/** One page of the same list, keyset on (name, id): `nextCursor` continues after its last row. */
export const PageOrganizations = z.object({
  search: z.string().max(200).optional(),
  actingOrganizationId: ActingOrganizationId,
  /** Opaque keyset cursor from the previous page. */
  cursor: z.string().max(500).nullish(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type PageOrganizations = z.infer<typeof PageOrganizations>;
export const ById = z.object({ id: Id });
/** One organization, read as another: itself, its clients and its partners (active partnerships). */
export const OrganizationById = ById.extend({ actingOrganizationId: ActingOrganizationId });
export const CheckTaxId = z.object({ number: z.string().max(60), country: Country.optional() });
