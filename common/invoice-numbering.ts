// How Kontor numbers the documents it issues. Shared by the device (issuing), the hub (the
// "number at sync" series) and the importer (which must never mint into these series).
//
//   INV-ACME-2026-1A2B3C-000042
//   kind issuer year device sequence
//
// The issuer's code makes a number unique across the book (two issuers of one book used to
// draw the same INV-2026-…-000001); the device code keeps two offline devices apart; the
// sequence is gapless per issuer, kind, year and device. The device code stays last in the
// series: the hub checks that a device only numbers in its own series by that last part.

export type NumberedKind = 'invoice' | 'pro_forma' | 'credit_note';

export const SERIES_PREFIX: Record<NumberedKind, string> = {
  invoice: 'INV',
  pro_forma: 'PRO',
  credit_note: 'CN',
};

/** A code an organization may choose for its numbers: 2–6 letters or digits. */
export const ISSUER_CODE_PATTERN = /^[A-Z0-9]{2,6}$/;

// Crockford's base 32: no I, L, O, U, so a code reads back unambiguously from paper.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The code an organization numbers with when it has not chosen one: four characters of a
 * hash of its id, the same on every device and on the hub without any coordination.
 */
export function derivedIssuerCode(organizationId: string): string {
  // FNV-1a, 32 bits: small, stable, good enough spread for a handful of issuers per book
  // (issuing refuses a number another issuer of the book already holds, naming the fix).
  let hash = 0x811c9dc5;
  for (let i = 0; i < organizationId.length; i++) {
    hash ^= organizationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let code = '';
  for (let i = 0; i < 4; i++) {
    code += CROCKFORD[hash & 31];
    hash >>>= 5;
  }
  return code;
}

export function issuerCodeOf(org: { id: string; invoiceCode?: string | null }): string {
  return org.invoiceCode || derivedIssuerCode(org.id);
}

export interface Numbering {
  series: string;
  sequence: number;
  number: string;
  year: number;
  /** The device code as digits, for the Swiss QR reference. */
  codeDigits: string;
  /**
   * What the creditor reference (SCOR, at most 21 characters) is made from: the number
   * without the issuer code. A reference only has to be unique per creditor, and the
   * sequence it carries runs on per issuer whatever code the issuer chooses.
   */
  referenceBase: string;
}

export function numbering(
  kind: NumberedKind,
  issuerCode: string,
  year: number,
  deviceCode: string,
  sequence: number,
): Numbering {
  const prefix = SERIES_PREFIX[kind];
  const seq = String(sequence).padStart(6, '0');
  const series = `${prefix}-${issuerCode}-${year}-${deviceCode}`;
  const parsed = Number.parseInt(deviceCode, 16);
  return {
    series,
    sequence,
    // Letters first: a spreadsheet never mistakes the number for a number.
    number: `${series}-${seq}`,
    year,
    codeDigits: String(Number.isNaN(parsed) ? 0 : parsed).padStart(8, '0'),
    referenceBase: `${prefix}${year}${deviceCode}${seq}`,
  };
}
