// What a customer organization receives, by default from its country and kind: French and German
// companies Factur-X (their 2026–2028 mandates accept it, and it stays a readable PDF), Belgian
// companies Peppol UBL (Belgium's B2B default since 2026), a German public buyer (it has a
// Leitweg-ID) XRechnung; Switzerland and everyone else a PDF, with a QR-bill in Switzerland.
import type { EinvoiceFormat, OrganizationKind } from './enums';

export function defaultEinvoiceFormat(org: {
  kind: OrganizationKind;
  country: string;
  leitwegId?: string | null;
}): EinvoiceFormat {
  if (org.kind !== 'company') return 'pdf';
  if (org.leitwegId) return 'xrechnung';
  if (org.country === 'FR' || org.country === 'DE') return 'factur_x';
  if (org.country === 'BE') return 'ubl';
  return 'pdf';
}

export function effectiveEinvoiceFormat(org: {
  kind: OrganizationKind;
  country: string;
  leitwegId?: string | null;
  einvoiceFormat?: EinvoiceFormat | null;
}): EinvoiceFormat {
  return org.einvoiceFormat ?? defaultEinvoiceFormat(org);
}
