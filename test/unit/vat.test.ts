import { describe, expect, it } from 'vitest';
import {
  checkEuVat,
  checkSwissUid,
  checkTaxId,
  EU_VAT_COUNTRIES,
  type VatCheck,
  vatPrefixFor,
} from '#common/vat';

// Valid numbers are published VAT numbers (most taken from python-stdnum's test data, which
// collects numbers found on companies' websites and invoices), or, where noted, official examples.
// Columns: country, `input` (with formatting noise on purpose), normalized form, `corrupted`
// (exactly one character changed), `wrongLength` (a digit dropped or added).
interface CountryCase {
  country: string;
  input: string;
  normalized: string;
  corrupted: string;
  wrongLength: string;
}

const CASES: CountryCase[] = (
  [
    ['AT', 'atu 1358 5627', 'ATU13585627', 'ATU13585628', 'ATU1358562'],
    ['BE', 'BE 0428.759.497', 'BE0428759497', 'BE0428759498', 'BE04287594971'],
    ['BG', 'bg 175 074 752', 'BG175074752', 'BG175074751', 'BG17507475'],
    ['CY', 'CY-10259033 p', 'CY10259033P', 'CY10259033Q', 'CY1025903P'],
    ['CZ', 'CZ 251 23 891', 'CZ25123891', 'CZ25123890', 'CZ2512389'],
    ['DE', 'de 136.695.976', 'DE136695976', 'DE136695977', 'DE13669597'],
    ['DK', 'DK 13 58 56 28', 'DK13585628', 'DK13585629', 'DK1358562'],
    ['EE', 'EE 100 931 558', 'EE100931558', 'EE100931559', 'EE10093155'],
    ['GR', 'el 094-259-216', 'EL094259216', 'EL094259217', 'EL0942592161'],
    ['ES', 'ES B-58378431', 'ESB58378431', 'ESB58378432', 'ESB5837843'],
    ['FI', 'FI 2077.4740', 'FI20774740', 'FI20774741', 'FI2077474'],
    ['FR', 'Fr 40 303 265 045', 'FR40303265045', 'FR41303265045', 'FR4030326504'],
    ['HR', 'HR 333 920 059 61', 'HR33392005961', 'HR33392005962', 'HR3339200596'],
    ['HU', 'HU-1289.2312', 'HU12892312', 'HU12892313', 'HU1289231'],
    ['IE', 'ie 643 3435 f', 'IE6433435F', 'IE6433435E', 'IE643343F'],
    ['IT', 'IT 007 431 101 57', 'IT00743110157', 'IT00743110158', 'IT0074311015'],
    ['LT', 'lt 119 511 515', 'LT119511515', 'LT119511516', 'LT1195115'],
    ['LU', 'LU 150 274 42', 'LU15027442', 'LU15027443', 'LU1502744'],
    ['LV', 'LV 4000 3521 600', 'LV40003521600', 'LV40003521601', 'LV4000352160'],
    ['MT', 'MT 1167-9112', 'MT11679112', 'MT11679113', 'MT1167911'],
    ['NL', 'nl 0044.95.445.b.01', 'NL004495445B01', 'NL004495446B01', 'NL0044954451B01'],
    ['PL', 'PL 584-030-44-72', 'PL5840304472', 'PL5840304473', 'PL584030447'],
    ['PT', 'PT 501 964 843', 'PT501964843', 'PT501964844', 'PT50196484'],
    ['RO', 'ro 185 472 90', 'RO18547290', 'RO18547291', 'RO12345678901'],
    ['SE', 'SE 556.383.740.9 01', 'SE556383740901', 'SE556383740801', 'SE55638374090'],
    ['SI', 'si 5022 3054', 'SI50223054', 'SI50223055', 'SI5022305'],
    ['SK', 'SK 202 274 96 19', 'SK2022749619', 'SK2022749618', 'SK202274961'],
    ['XI', 'xi 980 7806 84', 'XI980780684', 'XI980780685', 'XI98078068'],
  ] as const
).map(([country, input, normalized, corrupted, wrongLength]) => ({
  country,
  input,
  normalized,
  corrupted,
  wrongLength,
}));

// Further valid forms per country: alternative number types and lengths.
const MORE_VALID: [input: string, normalized: string, country: string][] = [
  ['BE413562567', 'BE0413562567', 'BE'], // pre-2005 9-digit form, leading 0 restored
  ['BG 7523169263', 'BG7523169263', 'BG'], // 10 digits: natural person (EGN)
  ['BG 8032056031', 'BG8032056031', 'BG'],
  ['CZ 640229/4448', 'CZ6402294448', 'CZ'], // rodné číslo, 29 Feb 1964
  ['CZ 736028/5163', 'CZ7360285163', 'CZ'], // rodné číslo of a woman (month + 50)
  ['CZ 682127228', 'CZ682127228', 'CZ'], // 9 digits starting 6: individual without RČ
  ['EL 94051189', 'EL094051189', 'GR'], // 8-digit quote, leading 0 restored
  ['ES 54362315K', 'ES54362315K', 'ES'], // DNI
  ['ES X-5253868-R', 'ESX5253868R', 'ES'], // NIE
  ['ES Z5277343K', 'ESZ5277343K', 'ES'],
  ['ES Q-2818015-F', 'ESQ2818015F', 'ES'], // CIF with letter control
  ['ES A08370314', 'ESA08370314', 'ES'], // CIF with digit control
  ['FI 0982651-1', 'FI09826511', 'FI'], // Y-tunnus with its dash
  ['FR K 7399859412', 'FRK7399859412', 'FR'], // alphanumeric key
  ['FR 4Z123456782', 'FR4Z123456782', 'FR'],
  ['FR32000000330', 'FR32000000330', 'FR'], // Monaco: 000 pseudo-SIREN
  ['IE 8D79739I', 'IE8D79739I', 'IE'], // pre-2013 form
  ['IE6433435OA', 'IE6433435OA', 'IE'], // 9-character form
  ['IE 3628739UA', 'IE3628739UA', 'IE'],
  ['LT 100001919017', 'LT100001919017', 'LT'], // 12 digits
  ['LV 161175-19997', 'LV16117519997', 'LV'], // natural person (birth date 16.11.1975)
  ['NL4495445B01', 'NL004495445B01', 'NL'], // leading zeros restored
  ['NL000099998B57', 'NL000099998B57', 'NL'], // 2020 sole-trader form (Belastingdienst example)
  ['NL 002455799 B11', 'NL002455799B11', 'NL'],
  ['RO 573768', 'RO573768', 'RO'], // short CUI
  ['SE 720 522 241 201', 'SE720522241201', 'SE'],
  ['XI 340 8043 29', 'XI340804329', 'XI'], // 9755 scheme
  ['XI 980 7806 84 001', 'XI980780684001', 'XI'], // branch trader
  ['XIGD001', 'XIGD001', 'XI'], // government department
  ['XIHA500', 'XIHA500', 'XI'], // health authority
];

function expectValid(result: VatCheck, normalized: string, country: string): void {
  expect(result).toEqual({ valid: true, normalized, country });
}

describe('EU_VAT_COUNTRIES', () => {
  it('lists the 27 member states by ISO code', () => {
    expect(EU_VAT_COUNTRIES).toHaveLength(27);
    expect(new Set(EU_VAT_COUNTRIES).size).toBe(27);
    expect(EU_VAT_COUNTRIES).toContain('GR');
    expect(EU_VAT_COUNTRIES).not.toContain('EL');
    expect(EU_VAT_COUNTRIES).not.toContain('GB');
    expect(EU_VAT_COUNTRIES).not.toContain('XI');
  });

  it('has a test case for every member state and XI', () => {
    expect(CASES.map((c) => c.country).sort()).toEqual([...EU_VAT_COUNTRIES, 'XI'].sort());
  });
});

describe.each(CASES)('$country', ({ country, input, normalized, corrupted, wrongLength }) => {
  it('accepts a published number with formatting noise', () => {
    expectValid(checkEuVat(input), normalized, country);
  });

  it('accepts the normalized form unchanged', () => {
    expectValid(checkEuVat(normalized), normalized, country);
  });

  it('accepts the number without prefix when the country is expected', () => {
    expectValid(checkEuVat(normalized.slice(2), country), normalized, country);
    expectValid(checkTaxId(input, country), normalized, country);
  });

  it('refuses a changed check digit as bad_checksum', () => {
    expect(checkEuVat(corrupted)).toEqual({ valid: false, reason: 'bad_checksum', country });
  });

  it('refuses a wrong length as bad_format', () => {
    expect(checkEuVat(wrongLength)).toEqual({ valid: false, reason: 'bad_format', country });
  });

  it('refuses another country prefix when this country is expected', () => {
    const other = country === 'DE' ? 'ATU13585627' : 'DE136695976';
    expect(checkEuVat(other, country)).toEqual({ valid: false, reason: 'bad_format', country });
  });
});

describe('further valid forms', () => {
  it.each(MORE_VALID)('%s', (input, normalized, country) => {
    expectValid(checkEuVat(input), normalized, country);
  });
});

describe('country-specific refusals', () => {
  it.each([
    ['DE 011125440', 'bad_format'], // leading zero
    ['EE 200931558', 'bad_format'], // must start 10
    ['CY 12259033P', 'bad_format'], // 12 never issued
    ['CZ 95123891', 'bad_format'], // 9xxxxxxx reserved
    ['CZ 6413312345', 'bad_format'], // month 13
    ['ES O1234567L', 'bad_format'], // O is not an entity letter
    ['ES 54362315J', 'bad_checksum'], // DNI letter
    ['ES X5253868S', 'bad_checksum'], // NIE letter
    ['ES K2814015F', 'bad_checksum'],
    ['FR IO334175221', 'bad_format'], // keys never use I or O
    ['FR 40303265046', 'bad_checksum'], // SIREN Luhn
    ['IE 6433435FZ', 'bad_format'], // 9th character outside W, A–I
    ['IE 8D79729I', 'bad_checksum'],
    ['IT 00687129980', 'bad_format'], // office code 998
    ['LT 100001509922', 'bad_format'], // 11th digit must be 1
    ['LV 16137519997', 'bad_format'], // month 13
    ['NL 004495445B00', 'bad_format'], // suffix 00
    ['NL 004495445X01', 'bad_format'],
    ['NL 000000000B01', 'bad_format'],
    ['SE 556383740902', 'bad_format'], // must end 01
    ['SK 2012749619', 'bad_format'], // third digit 1
    ['XI 802311781', 'bad_checksum'],
    ['XIGD500', 'bad_format'], // GD is 000–499
    ['XIHA499', 'bad_format'], // HA is 500–999
  ] as const)('%s → %s', (input, reason) => {
    expect(checkEuVat(input)).toMatchObject({ valid: false, reason });
  });
});

describe('prefixes and expected country', () => {
  it('maps Greece to the EL prefix', () => {
    expect(vatPrefixFor('GR')).toBe('EL');
    expect(vatPrefixFor('DE')).toBe('DE');
    expect(vatPrefixFor('XI')).toBe('XI');
  });

  it('accepts an EL number for GR and normalizes a GR prefix to EL', () => {
    expectValid(checkEuVat('EL094259216', 'GR'), 'EL094259216', 'GR');
    expectValid(checkEuVat('GR 094259216'), 'EL094259216', 'GR');
    expectValid(checkEuVat('094259216', 'GR'), 'EL094259216', 'GR');
    expectValid(checkEuVat('094259216', 'EL'), 'EL094259216', 'GR');
    expectValid(checkTaxId('GR094259216', 'GR'), 'EL094259216', 'GR');
  });

  it('requires a prefix when no country is expected', () => {
    expect(checkEuVat('136695976')).toEqual({ valid: false, reason: 'unknown_country' });
    expect(checkEuVat('QQ124567')).toEqual({ valid: false, reason: 'unknown_country' });
    expect(checkEuVat('GB980780684')).toEqual({ valid: false, reason: 'unknown_country' });
  });

  it('refuses a mismatching prefix with the expected country', () => {
    expect(checkEuVat('DE136695976', 'AT')).toEqual({ valid: false, reason: 'bad_format', country: 'AT' });
    expect(checkEuVat('EL094259216', 'CY')).toEqual({ valid: false, reason: 'bad_format', country: 'CY' });
  });

  it('reports an unknown expected country', () => {
    expect(checkEuVat('136695976', 'US')).toEqual({ valid: false, reason: 'unknown_country', country: 'US' });
  });

  it('reports empty input', () => {
    expect(checkEuVat('')).toEqual({ valid: false, reason: 'empty' });
    expect(checkEuVat('  . - ')).toEqual({ valid: false, reason: 'empty' });
    expect(checkEuVat(' ', 'DE')).toEqual({ valid: false, reason: 'empty', country: 'DE' });
  });

  it('refuses Swiss numbers as not_eu', () => {
    expect(checkEuVat('CHE-116.281.710')).toEqual({ valid: false, reason: 'not_eu', country: 'CH' });
    expect(checkEuVat('CHE-116.281.710 MWST', 'DE')).toEqual({
      valid: false,
      reason: 'not_eu',
      country: 'CH',
    });
    expect(checkEuVat('CH116281710')).toEqual({ valid: false, reason: 'not_eu', country: 'CH' });
    expect(checkEuVat('116281710', 'CH')).toEqual({ valid: false, reason: 'not_eu', country: 'CH' });
  });
});

describe('checkSwissUid', () => {
  // CHE-116.281.710: 1·5 + 1·4 + 6·3 + 2·2 + 8·7 + 1·6 + 7·5 + 1·4 = 132 ≡ 0 (mod 11) → check 11 → 0.
  it.each([
    'CHE-116.281.710',
    'CHE116281710',
    'che 116 281 710',
    'CHE-116.281.710 MWST',
    'CHE-116.281.710 TVA',
    'CHE-116.281.710 IVA',
    'CHE-116.281.710 VAT',
    '116.281.710',
  ])('accepts %s', (input) => {
    expectValid(checkSwissUid(input), 'CHE-116.281.710', 'CH');
  });

  it('accepts a UID whose check digit is computed from the weights', () => {
    // 1·5 + 0 + 0 + 0 + 0 + 0 + 0 + 0 = 5 → 11 - 5 = 6
    expectValid(checkSwissUid('CHE-100.000.006'), 'CHE-100.000.006', 'CH');
  });

  it('refuses a corrupted check digit', () => {
    expect(checkSwissUid('CHE-116.281.711')).toEqual({ valid: false, reason: 'bad_checksum', country: 'CH' });
    expect(checkSwissUid('CHE-116.281.810')).toEqual({ valid: false, reason: 'bad_checksum', country: 'CH' });
  });

  it('refuses numbers whose check digit would be 10', () => {
    // 1·5 + 1·7 = 12 ≡ 1 (mod 11) → 11 - 1 = 10, never assigned
    for (let last = 0; last <= 9; last++) {
      expect(checkSwissUid(`CHE-100.010.00${last}`)).toEqual({
        valid: false,
        reason: 'bad_checksum',
        country: 'CH',
      });
    }
  });

  it('refuses malformed input', () => {
    expect(checkSwissUid('CHE-116.281.71')).toEqual({ valid: false, reason: 'bad_format', country: 'CH' });
    expect(checkSwissUid('CHE-116.281.7100')).toEqual({ valid: false, reason: 'bad_format', country: 'CH' });
    expect(checkSwissUid('DE136695976')).toEqual({ valid: false, reason: 'bad_format', country: 'CH' });
    expect(checkSwissUid('CHE-000.000.000')).toEqual({ valid: false, reason: 'bad_format', country: 'CH' });
    expect(checkSwissUid(' ')).toEqual({ valid: false, reason: 'empty', country: 'CH' });
  });
});

describe('checkTaxId', () => {
  it('routes CH to the Swiss UID check', () => {
    expectValid(checkTaxId('CHE-116.281.710 MWST', 'CH'), 'CHE-116.281.710', 'CH');
    expectValid(checkTaxId('che116281710', 'ch'), 'CHE-116.281.710', 'CH');
  });

  it('refuses Liechtenstein as not_eu', () => {
    expect(checkTaxId('CHE-116.281.710', 'LI')).toMatchObject({ valid: false, reason: 'not_eu' });
  });

  it('routes member states and XI to the EU check', () => {
    expectValid(checkTaxId('136695976', 'DE'), 'DE136695976', 'DE');
    expectValid(checkTaxId('980780684', 'XI'), 'XI980780684', 'XI');
    expect(checkTaxId('ATU13585627', 'DE')).toEqual({ valid: false, reason: 'bad_format', country: 'DE' });
  });

  it('reports other countries as unknown', () => {
    expect(checkTaxId('980780684', 'GB')).toMatchObject({ valid: false, reason: 'unknown_country' });
    expect(checkTaxId('12-3456789', 'US')).toMatchObject({ valid: false, reason: 'unknown_country' });
  });
});

// Single-digit substitutions in the checked part must always be refused. This holds by
// construction for checks whose weights are all invertible modulo the checksum modulus and
// whose result maps one-to-one to the check character. Excluded, because a single change can
// legitimately collide: BG, CZ, EL, LT, PT and RO fold a remainder of 10 onto check digit 0 (or
// 0 and 1 onto 1), LV natural persons and FR alphanumeric keys are format-only, NL accepts either
// of two checksums, and XI accepts several residues.
describe('every single-digit substitution is refused', () => {
  const FULL_CHECKSUM: string[] = [
    'ATU13585627',
    'ATU46080404',
    'BE0428759497',
    'BE0403019261',
    'CY10259033P',
    'CY00632993F',
    'DE136695976',
    'DE813113875',
    'DK13585628',
    'DK10150817',
    'EE100931558',
    'EE101256753',
    'ESB58378431',
    'ESQ2818015F',
    'ES54362315K',
    'ESX5253868R',
    'FI20774740',
    'FI09826511',
    'FR40303265045',
    'FR84323140392',
    'HR33392005961',
    'HU12892312',
    'HU64241281',
    'IE6433435F',
    'IE6433435OA',
    'IE8D79739I',
    'IT00743110157',
    'IT12920760159',
    'LU15027442',
    'LU22221268',
    'LV40003521600',
    'LV90000528023',
    'MT11679112',
    'MT20630321',
    'PL5840304472',
    'PL7780104605',
    'SE556383740901',
    'SE556043606401',
    'SI50223054',
    'SI92351069',
    'SK2022749619',
    'SK1078449064',
  ];

  function mutations(s: string, from: number): string[] {
    const out: string[] = [];
    for (let i = from; i < s.length; i++) {
      const c = s[i] ?? '';
      if (!/[0-9]/.test(c)) continue;
      for (let d = 0; d <= 9; d++) {
        if (String(d) !== c) out.push(`${s.slice(0, i)}${d}${s.slice(i + 1)}`);
      }
    }
    return out;
  }

  it.each(FULL_CHECKSUM)('%s', (number) => {
    expect(checkEuVat(number).valid).toBe(true);
    const accepted = mutations(number, 2).filter((m) => checkEuVat(m).valid);
    expect(accepted).toEqual([]);
  });

  it.each(['CHE-116.281.710', 'CHE-100.000.006'])('%s', (uid) => {
    expect(checkSwissUid(uid).valid).toBe(true);
    const accepted = mutations(uid, 3).filter((m) => checkSwissUid(m).valid);
    expect(accepted).toEqual([]);
  });
});
