// The firm: the organization that issues the invoices (settings' provider) with its head-office
// address, bank account and document defaults. The first-run screen and Settings → Firm save it
// in one transaction; `firmGaps` is the one list of what a firm still lacks to issue a legal
// invoice with its QR-bill, read by that screen and by the issue check alike.
import { and, eq, isNull } from 'drizzle-orm';
import { type BillingAddress, type Organization, organizations } from '#db/schema/index';
import type { SaveFirm } from '#common/firm.schema';
import { EU_VAT_COUNTRIES } from '#common/vat';
import { atomically, type Ctx } from './context';
import { createAddress, defaultAddress, updateAddress } from './addresses.service';
import { createOrganization, updateOrganization } from './organizations.service';
import { getSettings, setSetting } from './settings.service';

/** What is missing; each names the field of the firm form that fixes it. */
export type FirmGap = 'firm' | 'address' | 'tax_id' | 'iban';

export interface FirmView {
  organization: Organization | null;
  address: BillingAddress | null;
  gaps: FirmGap[];
}

/** A QR-bill (Switzerland, Liechtenstein) or a SEPA transfer needs the account on the document. */
export function firmGaps(org: Organization, address: BillingAddress | null | undefined): FirmGap[] {
  const gaps: FirmGap[] = [];
  if (!address || !(address.street || address.line1)?.trim() || !address.postalCode.trim() || !address.city.trim())
    gaps.push('address');
  // A VAT invoice names the seller's VAT number (Swiss MWSTG art. 26, EU directive art. 226).
  if (org.kind === 'company' && !org.uid && !org.vatNumber) gaps.push('tax_id');
  if (!org.iban && !org.qrIban) gaps.push('iban');
  return gaps;
}

export function getFirm(ctx: Ctx): FirmView {
  const id = getSettings(ctx).providerOrganizationId;
  const organization = id
    ? ctx.db
        .select()
        .from(organizations)
        .where(and(eq(organizations.id, id), isNull(organizations.deletedAt)))
        .get()
    : undefined;
  if (!organization) return { organization: null, address: null, gaps: ['firm'] };
  const address = defaultAddress(ctx.db, organization.id) ?? null;
  return { organization, address, gaps: firmGaps(organization, address) };
}

/** Creates or updates the firm and its head-office address, and makes it the issuer. */
export function saveFirm(ctx: Ctx, input: SaveFirm): FirmView {
  return atomically(ctx, () => {
    const current = getFirm(ctx).organization;
    // QR-bills are Swiss and Liechtenstein's; the UID is Switzerland's alone.
    const swiss = input.country === 'CH' || input.country === 'LI';
    const taxId = input.taxId?.trim() || null;
    const taxIds = {
      uid: input.country === 'CH' ? taxId : null,
      vatNumber: EU_VAT_COUNTRIES.includes(input.country) ? taxId : null,
    };
    const fields = {
      name: input.name,
      shortName: input.shortName || null,
      country: input.country,
      currency: input.currency,
      ...taxIds,
      iban: input.iban || null,
      qrIban: swiss ? input.qrIban || null : null,
      bic: input.bic || null,
      logo: input.logo ?? null,
      paymentTermDays: input.paymentTermDays,
      documentLocale: input.documentLocale,
      invoiceFooter: input.invoiceFooter || null,
    };
    const org = current
      ? updateOrganization(ctx, { id: current.id, kind: 'company', ...fields })
      : createOrganization(ctx, { kind: 'company', ...fields });
    const address = {
      street: input.street,
      buildingNumber: input.buildingNumber || null,
      line2: input.line2 || null,
      postalCode: input.postalCode,
      city: input.city,
      country: input.country,
      email: input.email || null,
      recipient: input.name,
    };
    const existing = defaultAddress(ctx.db, org.id);
    if (existing) updateAddress(ctx, { id: existing.id, ...address });
    else createAddress(ctx, { organizationId: org.id, label: 'Head office', isDefault: true, ...address });
    if (getSettings(ctx).providerOrganizationId !== org.id) setSetting(ctx, 'providerOrganizationId', org.id);
    return getFirm(ctx);
  });
}
