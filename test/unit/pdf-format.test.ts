// Document formatting (money by locale, exact from minor units), the QR-bill character set and
// the PDF font (coverage, pdfkit speed-ups still active).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSpsCharacter, toSpsText } from '#core/export/pdf/charset';
import {
  fontBytes,
  PRESEED_TEXT,
  pdfkitSpeedUps,
  unsupportedCharacters,
} from '#core/export/pdf/fonts';
import { documentFormatter, intlLocale, minorToDecimalString } from '#core/export/pdf/format';
import { invoicePdfBuffer } from '#core/export/pdf/invoice-pdf';
import { documentLabels } from '#core/export/pdf/labels';
import { DOCUMENT_LOCALES } from '#common/enums';
import { formatAmount, formatRate, formatScaled } from '../../renderer/src/features/invoices/invoice-ui';
import { makeFormatters } from '../../renderer/src/i18n/format';
import { sampleInvoice } from '../helpers/sample-documents';

const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money and numbers', () => {
  it('turns minor units into an exact decimal string', () => {
    expect(minorToDecimalString(0)).toBe('0.00');
    expect(minorToDecimalString(5)).toBe('0.05');
    expect(minorToDecimalString(-5)).toBe('-0.05');
    expect(minorToDecimalString(123456)).toBe('1234.56');
    expect(minorToDecimalString(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(minorToDecimalString(1500, 3)).toBe('1.500');
    expect(() => minorToDecimalString(1.5)).toThrow(RangeError);
  });

  it('picks Swiss conventions for CHF and national ones for EUR', () => {
    expect(intlLocale('fr', 'CHF')).toBe('fr-CH');
    expect(intlLocale('de', 'CHF')).toBe('de-CH');
    expect(intlLocale('en', 'CHF')).toBe('en-CH');
    expect(intlLocale('fr', 'EUR')).toBe('fr-FR');
    expect(intlLocale('de', 'EUR')).toBe('de-DE');
    expect(intlLocale('en', 'EUR')).toBe('en-IE');
  });

  it('formats money as each locale shows it, without narrow no-break spaces', () => {
    const cases: [Parameters<typeof documentFormatter>, RegExp][] = [
      [['de', 'CHF'], /^CHF 1['’]234['’]567\.89$/],
      [['fr', 'CHF'], /^1 234 567[.,]89 CHF$/],
      [['en', 'CHF'], /^CHF 1['’]234['’]567\.89$/],
      [['de', 'EUR'], /^1\.234\.567,89 €$/],
      [['fr', 'EUR'], /^1 234 567,89 €$/],
      [['en', 'EUR'], /^€1,234,567\.89$/],
    ];
    for (const [[locale, currency], expected] of cases) {
      const text = documentFormatter(locale, currency).money(123456789);
      expect(text).not.toMatch(/\u202f/);
      expect(plain(text), `${locale}/${currency}`).toMatch(expected);
    }
  });

  it('formats amounts beyond float precision exactly', () => {
    const fmt = documentFormatter('en', 'EUR');
    expect(fmt.money(Number.MAX_SAFE_INTEGER)).toBe('€90,071,992,547,409.91');
    // Every amount reads back as its own minor units (property).
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (minor) => {
        const digits = fmt.amount(minor).replace(/[^0-9-]/g, '');
        expect(BigInt(digits)).toBe(BigInt(minor));
      }),
    );
  });

  it('shows table amounts with the digits of the currency format', () => {
    expect(plain(documentFormatter('fr', 'CHF').amount(123456))).toBe(
      plain(documentFormatter('fr', 'CHF').money(123456)).replace(/ ?CHF$/, ''),
    );
    expect(documentFormatter('de', 'EUR').amount(-123456)).toBe('-1.234,56');
  });

  it('formats quantities, rates and dates', () => {
    const de = documentFormatter('de', 'EUR');
    expect(de.quantity(1500)).toBe('1,5');
    expect(de.quantity(12_000)).toBe('12');
    expect(de.quantity(1)).toBe('0,001');
    expect(plain(de.percent(1900))).toBe('19 %');
    expect(plain(de.percent(810))).toBe('8,1 %');
    expect(documentFormatter('en', 'CHF').percent(810)).toBe('8.1%');
    expect(de.date('2026-03-07')).toBe('07.03.2026');
    expect(documentFormatter('fr', 'EUR').date('2026-03-07')).toBe('07/03/2026');
  });

  // Issue 14, defect 11: a fr-CH PDF printed "8,1%" beside "1 800.00" (CLDR gives fr-CH plain
  // numbers a comma and CHF amounts a dot); it-CH wrote CHF 1800.00 but CHF 18’000.00.
  it('writes rates and quantities with the decimal mark of the money beside them, in every document region', () => {
    const decimalOf = (text: string) => /\d([.,])\d+\D*$/.exec(text)?.[1];
    for (const locale of DOCUMENT_LOCALES)
      for (const currency of ['CHF', 'EUR'] as const) {
        const f = documentFormatter(locale, currency);
        const mark = decimalOf(f.money(180_050));
        expect(mark, `${locale}/${currency}`).toBeDefined();
        expect(decimalOf(f.amount(180_050)), `${locale}/${currency} amount`).toBe(mark);
        expect(decimalOf(f.percent(810)), `${locale}/${currency} rate`).toBe(mark);
        expect(decimalOf(f.quantity(1500)), `${locale}/${currency} quantity`).toBe(mark);
      }
    expect(plain(documentFormatter('fr', 'CHF').percent(810))).toBe('8.1%');
    expect(plain(documentFormatter('fr', 'CHF').money(180_000))).toBe('1 800.00 CHF');
    expect(documentFormatter('it', 'CHF').money(180_000)).toBe("CHF\u00a01'800.00");
    expect(documentFormatter('it', 'EUR').money(180_000)).toBe('1.800,00\u00a0€');
    expect(documentFormatter('it', 'EUR').date('2026-12-07')).toBe('07/12/2026');
    expect(intlLocale('it', 'CHF')).toBe('it-CH');
    expect(intlLocale('it', 'EUR')).toBe('it-IT');
  });

  it('writes amounts, rates and quantities exactly as the screen does in the same region', () => {
    for (const locale of DOCUMENT_LOCALES)
      for (const currency of ['CHF', 'EUR'] as const) {
        const doc = documentFormatter(locale, currency);
        const screen = makeFormatters(doc.intlLocale);
        for (const minor of [0, 5, 180_000, 252_777, -6_300, 123_456_789]) {
          expect(doc.money(minor), `${doc.intlLocale} ${minor}`).toBe(screen.money(minor, currency));
          expect(doc.amount(minor)).toBe(formatAmount(minor, currency, doc.intlLocale));
        }
        expect(doc.percent(810)).toBe(formatRate(810, doc.intlLocale));
        expect(doc.quantity(1500)).toBe(formatScaled(1500, 3, doc.intlLocale));
      }
  });

  it('has every label in every language', () => {
    const keys = Object.keys(documentLabels('en')).sort();
    for (const locale of ['fr', 'de', 'it'] as const) {
      expect(Object.keys(documentLabels(locale)).sort()).toEqual(keys);
      expect(Object.keys(documentLabels(locale, false)).sort()).toEqual(keys);
    }
    expect(documentLabels('de', true).vatRate).toBe('MWST');
    expect(documentLabels('de', false).vatRate).toBe('USt.');
    expect(documentLabels('it').title.invoice).toBe('Fattura');
    expect(documentLabels('it').uid('CH')).toBe('IDI');
  });
});

describe('QR-bill character set (SPS v2.3)', () => {
  it('allows Basic Latin, Latin-1, Latin Extended-A, Ș ș Ț ț and €', () => {
    for (const ch of 'AZaz09 !~ äöüéèàçñßØøÆŁłŻżćőűœŠšȘșȚț€') {
      expect(isSpsCharacter(ch.codePointAt(0) as number), ch).toBe(true);
    }
    for (const ch of ['\u2019', '\u2013', 'ẞ', 'ǆ', 'Ж', '中', '🚀', '\u202f', '\t']) {
      expect(isSpsCharacter(ch.codePointAt(0) as number), ch).toBe(false);
    }
  });

  it('keeps allowed text as it is and transliterates the rest', () => {
    expect(toSpsText('Łukasz Żółć')).toEqual({ text: 'Łukasz Żółć', rejected: [], changed: false });
    expect(toSpsText('Ørsted & Søn').text).toBe('Ørsted & Søn');
    expect(toSpsText('Zoë Müller-Lüdenscheidt').changed).toBe(false);
    expect(toSpsText('L’Atelier “Rive” — 2').text).toBe('L\'Atelier "Rive" - 2');
    expect(toSpsText('GROẞHANDEL').text).toBe('GROSSHANDEL');
    expect(toSpsText('Nguyễn Thị').text).toBe('Nguyên Thi');
    expect(toSpsText('e\u0301cole').text).toBe('école');
    expect(toSpsText('  a \u202f b\n').text).toBe('a b');
    expect(toSpsText('Rocket 🚀 AG').rejected).toEqual(['🚀']);
    expect(toSpsText('Иван').rejected).toHaveLength(4);
  });

  it('always yields allowed characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        for (const ch of toSpsText(s).text) expect(isSpsCharacter(ch.codePointAt(0) as number)).toBe(true);
      }),
    );
  });
});

describe('PDF font', () => {
  it('covers Latin text, the no-break spaces and the currency signs', () => {
    expect(unsupportedCharacters('Łukasz Żółć ő ű ș ț Ș Ț ß ẞ œ Œ æ Ø å ğ ı Ş ž č ř ě ů')).toEqual([]);
    expect(unsupportedCharacters('\u00a0\u202f€₣’“”–—…•')).toEqual([]);
    expect(unsupportedCharacters(PRESEED_TEXT)).toEqual([]);
    expect(unsupportedCharacters('Ж中')).toEqual(['Ж', '中']);
  });

  it('ships a TrueType file per weight, read once', () => {
    const a = fontBytes();
    expect(a.regular.subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
    expect(a.bold.subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
    expect(fontBytes().regular).toBe(a.regular);
  });

  it('still reaches the pdfkit internals its speed-ups rely on', async () => {
    await invoicePdfBuffer(sampleInvoice({ seed: 1 }));
    // If this fails after a pdfkit upgrade, PDFs are still correct but slower: see fonts.ts.
    expect(pdfkitSpeedUps()).toEqual({ preseed: true, sharedLayoutCache: true });
  });
});
