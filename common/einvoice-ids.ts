// Identifiers e-invoicing needs, with their check digits: the French SIREN/SIRET (Luhn), the
// German Leitweg-ID (ISO 7064 MOD 97-10), the Peppol participant id (scheme:value, the scheme
// an ISO 6523 ICD / EAS code) and the BIC (ISO 9362). Pure: the services, the CSV import and
// the renderer's inline checks share them.
import { isCountryCode } from './countries';
import { compactIdentifier, mod97 } from './payment-reference';
import { luhnValid } from './vat/checksums';

export type IdCheck = { valid: true; normalized: string } | { valid: false; reason: IdReason };
export type IdReason = 'bad_format' | 'bad_checksum' | 'unknown_scheme';

const ok = (normalized: string): IdCheck => ({ valid: true, normalized });
const bad = (reason: IdReason): IdCheck => ({ valid: false, reason });

/** SIREN: 9 digits, Luhn. La Poste's SIREN 356000000 is the one listed exception (its SIRETs use a sum rule). */
export function checkSiren(value: string): IdCheck {
  const s = compactIdentifier(value);
  if (!/^[0-9]{9}$/.test(s)) return bad('bad_format');
  return luhnValid(s) ? ok(s) : bad('bad_checksum');
}

/**
 * SIRET: the SIREN and a 5-digit establishment number, Luhn over all 14 digits; La Poste's
 * establishments (SIREN 356000000) instead have a digit sum that is a multiple of 5 (INSEE).
 */
export function checkSiret(value: string): IdCheck {
  const s = compactIdentifier(value);
  if (!/^[0-9]{14}$/.test(s)) return bad('bad_format');
  if (s.startsWith('356000000')) {
    const sum = [...s].reduce((n, d) => n + Number(d), 0);
    return sum % 5 === 0 ? ok(s) : bad('bad_checksum');
  }
  return luhnValid(s) ? ok(s) : bad('bad_checksum');
}

/**
 * Leitweg-ID (KoSIT, version 2.0.2): coarse address (2–12 digits), an optional fine address
 * (up to 30 letters or digits), and 2 check digits, joined by hyphens; the whole id without
 * hyphens, letters as 10…35, is 1 modulo 97.
 */
export function checkLeitwegId(value: string): IdCheck {
  const s = value.trim().toUpperCase();
  if (!/^[0-9]{2,12}(-[0-9A-Z]{1,30})?-[0-9]{2}$/.test(s)) return bad('bad_format');
  return mod97(s.replaceAll('-', '')) === 1 ? ok(s) : bad('bad_checksum');
}

/**
 * Electronic address schemes (EAS) a Peppol endpoint may use. The common ones; 0208 is the
 * Belgian enterprise number, 0009 a SIRET, 0002 a SIREN, 0204 a Leitweg-ID, 0088 a GLN,
 * 99xx national VAT numbers.
 */
export const PEPPOL_SCHEMES = [
  '0002',
  '0007',
  '0009',
  '0037',
  '0060',
  '0088',
  '0096',
  '0097',
  '0106',
  '0130',
  '0135',
  '0142',
  '0147',
  '0151',
  '0154',
  '0158',
  '0170',
  '0177',
  '0183',
  '0184',
  '0188',
  '0190',
  '0191',
  '0192',
  '0193',
  '0194',
  '0195',
  '0196',
  '0198',
  '0199',
  '0200',
  '0201',
  '0202',
  '0203',
  '0204',
  '0205',
  '0208',
  '0209',
  '0210',
  '0211',
  '0212',
  '0213',
  '0215',
  '0216',
  '0217',
  '0218',
  '0219',
  '0220',
  '0221',
  '0225',
  '0230',
  '0235',
  '9901',
  '9910',
  '9913',
  '9914',
  '9915',
  '9918',
  '9919',
  '9920',
  '9922',
  '9923',
  '9924',
  '9925',
  '9926',
  '9927',
  '9928',
  '9929',
  '9930',
  '9931',
  '9932',
  '9933',
  '9934',
  '9935',
  '9936',
  '9937',
  '9938',
  '9939',
  '9940',
  '9941',
  '9942',
  '9943',
  '9944',
  '9945',
  '9946',
  '9947',
  '9948',
  '9949',
  '9950',
  '9951',
  '9952',
  '9953',
  '9957',
  '9959',
] as const;
const SCHEMES = new Set<string>(PEPPOL_SCHEMES);

/** Belgian enterprise number (KBO/BCE): 10 digits, the last two are 97 − (first eight mod 97). */
export function checkBelgianEnterpriseNumber(value: string): IdCheck {
  const s = compactIdentifier(value).replaceAll('.', '');
  if (!/^[01][0-9]{9}$/.test(s)) return bad('bad_format');
  return 97 - (Number(s.slice(0, 8)) % 97) === Number(s.slice(8)) ? ok(s) : bad('bad_checksum');
}

export interface PeppolId {
  scheme: string;
  value: string;
}

/** `0208:0123456789` → normalized `scheme:value`, with the value's own check where the scheme has one. */
export function checkPeppolId(input: string): IdCheck {
  const m = /^\s*([0-9]{4})\s*:\s*(\S{1,50})\s*$/.exec(input);
  if (!m) return bad('bad_format');
  const scheme = m[1] as string;
  const raw = m[2] as string;
  if (!SCHEMES.has(scheme)) return bad('unknown_scheme');
  const inner =
    scheme === '0208'
      ? checkBelgianEnterpriseNumber(raw)
      : scheme === '0009'
        ? checkSiret(raw)
        : scheme === '0002'
          ? checkSiren(raw)
          : scheme === '0204'
            ? checkLeitwegId(raw)
            : /^[0-9A-Za-z._-]+$/.test(raw)
              ? ok(raw)
              : bad('bad_format');
  return inner.valid ? ok(`${scheme}:${inner.normalized}`) : inner;
}

export function parsePeppolId(normalized: string): PeppolId {
  const i = normalized.indexOf(':');
  return { scheme: normalized.slice(0, i), value: normalized.slice(i + 1) };
}

/** BIC (ISO 9362): 4 letters (institution), an ISO country, 2 characters (location), optional 3 (branch). */
export function checkBic(value: string): IdCheck {
  const s = compactIdentifier(value);
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(s)) return bad('bad_format');
  return isCountryCode(s.slice(4, 6)) ? ok(s) : bad('bad_format');
}
