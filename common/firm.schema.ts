import { z } from 'zod';
import { DOCUMENT_LOCALES } from './enums';
import { Country, CurrencyCode, Name } from './common.schema';
import { CreateOrganization } from './organizations.schema';

/**
 * The firm: the organization that issues the invoices (settings' provider) and its head-office
 * address, set up in one go (the first-run screen and Settings → Firm). Every identifier is
 * checked by the organization and address services, with its check digits.
 */
export const SaveFirm = z.object({
  name: Name,
  /** The QR-bill's name field holds 70 characters: a longer legal name needs a short one. */
  shortName: z.string().trim().max(70).nullish(),
  country: Country,
  currency: CurrencyCode,
  /** A Swiss UID (CHE-…) or an EU VAT number, whichever the country carries. */
  taxId: z.string().trim().max(40).nullish(),
  iban: z.string().trim().max(42).nullish(),
  qrIban: z.string().trim().max(42).nullish(),
  bic: z.string().trim().max(16).nullish(),
  logo: CreateOrganization.shape.logo,
  paymentTermDays: z.number().int().min(0).max(365),
  documentLocale: z.enum(DOCUMENT_LOCALES),
  invoiceFooter: z.string().trim().max(300).nullish(),
  email: z.string().trim().email().max(200).nullish(),
  street: z.string().trim().min(1).max(70),
  buildingNumber: z.string().trim().max(16).nullish(),
  line2: z.string().trim().max(200).nullish(),
  postalCode: z.string().trim().min(1).max(16),
  city: z.string().trim().min(1).max(35),
});
export type SaveFirm = z.infer<typeof SaveFirm>;
