import { z } from 'zod';
import { ORGANIZATION_KINDS } from './enums';
import { ActingOrganizationId, Color, Country, CurrencyCode, Id, Name } from './common.schema';

// Logos travel as data URLs so the store stays one file; 256 KB is plenty for a square logo.
const Logo = z
  .string()
  .max(350_000)
  .regex(/^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/, 'expected an image data URL');

export const CreateOrganization = z.object({
  kind: z.enum(ORGANIZATION_KINDS),
  name: Name,
  country: Country,
  currency: CurrencyCode,
  vatNumber: z.string().trim().max(40).nullish(),
  uid: z.string().trim().max(40).nullish(),
  color: Color.optional(),
  logo: Logo.nullish(),
  renewalReminderDays: z.number().int().min(1).max(60).nullish(),
  iban: z.string().trim().max(42).nullish(),
  paymentTermDays: z.number().int().min(0).max(365).optional(),
  /** The code in the numbers it issues (INV-ACME-2026-…); null: one derived from its id. */
  invoiceCode: z.string().trim().max(12).nullish(),
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const UpdateOrganization = z.object({
  id: Id,
  kind: z.enum(ORGANIZATION_KINDS).optional(),
  name: Name.optional(),
  country: Country.optional(),
  currency: CurrencyCode.optional(),
  vatNumber: z.string().trim().max(40).nullish(),
  uid: z.string().trim().max(40).nullish(),
  color: Color.optional(),
  logo: Logo.nullish(),
  renewalReminderDays: z.number().int().min(1).max(60).nullish(),
  iban: z.string().trim().max(42).nullish(),
  paymentTermDays: z.number().int().min(0).max(365).optional(),
  /** The code in the numbers it issues (INV-ACME-2026-…); null: one derived from its id. */
  invoiceCode: z.string().trim().max(12).nullish(),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;

export const ListOrganizations = z
  .object({ search: z.string().max(200).optional(), actingOrganizationId: ActingOrganizationId })
  .default({});
export const ById = z.object({ id: Id });
/** One organization, read as another: itself, its clients and its partners (active partnerships). */
export const OrganizationById = ById.extend({ actingOrganizationId: ActingOrganizationId });
export const CheckTaxId = z.object({ number: z.string().max(60), country: Country.optional() });
