import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decode,
  detectDateFormats,
  detectEncoding,
  type ImportError,
  parseCsv,
  previewImport,
  suggestMapping,
  validateRows,
} from '#core/import/csv-import';
import { importErrorMessage } from '#core/import/import-messages';
import { IMPORT_SCHEMAS } from '#core/import/import-schemas';

const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('encodings', () => {
  it('reads Windows-1252 bytes (é = 0xE9) as Windows-1252', () => {
    const bytes = Buffer.from([0x4e, 0x6f, 0x6d, 0x0d, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x0d, 0x0a]);
    expect(detectEncoding(bytes)).toBe('windows-1252');
    expect(decode(bytes)).toBe('Nom\r\nCafé €\r\n');
  });

  it('reads UTF-8 without a BOM', () => {
    const bytes = Buffer.from('Nom\nZoë Müller, Łukasz Żółć\n', 'utf8');
    expect(detectEncoding(bytes)).toBe('utf-8');
    expect(decode(bytes)).toBe('Nom\nZoë Müller, Łukasz Żółć\n');
  });

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Nom;Pays\nZoë;CH\n')]);
    expect(detectEncoding(bytes)).toBe('utf-8-bom');
    expect(decode(bytes)).toBe('Nom;Pays\nZoë;CH\n');
    expect(parseCsv(decode(bytes)).headers).toEqual(['Nom', 'Pays']);
  });

  it('reads Excel’s “Unicode text” (UTF-16LE with BOM, tab-separated)', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('Nom\tPays\r\nZoë\tCH\r\n', 'utf-16le'),
    ]);
    expect(detectEncoding(bytes)).toBe('utf-16le');
    const parsed = parseCsv(decode(bytes));
    expect(parsed.delimiter).toBe('\t');
    expect(parsed.rows[0]?.cells).toEqual(['Zoë', 'CH']);
  });

  it('a Windows-1252 file end to end keeps its accents', () => {
    const bytes = iconv.encode(
      crlf('Nom;Pays;Devise', 'Crèmerie Léman SA;Suisse;CHF', 'Müller GmbH;Deutschland;EUR'),
      'windows-1252',
    );
    const preview = previewImport(bytes, 'organizations');
    expect(preview.encoding).toBe('windows-1252');
    expect(preview.errors).toEqual([]);
    expect(preview.rows.map((r) => [r.values.name, r.values.country])).toEqual([
      ['Crèmerie Léman SA', 'CH'],
      ['Müller GmbH', 'DE'],
    ]);
  });
});

describe('delimiters', () => {
  it.each([
    [';', crlf('Nom;Montant;Date', 'Dupont, Fils;1234,50;01.03.2025', 'Zoë;-12,5;02.03.2025')],
    [',', crlf('Name,Amount,Date', '"Dupont; Fils",1234.50,2025-03-01', 'Zoë,-12.5,2025-03-02')],
    ['\t', crlf('Name\tAmount\tDate', 'Dupont, Fils\t1234.50\t2025-03-01', 'Zoë\t-12.5\t2025-03-02')],
    ['|', crlf('Name|Amount|Date', 'Dupont; Fils|1234.50|2025-03-01', 'Zoë|-12.5|2025-03-02')],
  ])('detects %j', (delimiter, text) => {
    const parsed = parseCsv(text);
    expect(parsed.delimiter).toBe(delimiter);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.cells.length)).toEqual([3, 3]);
  });

  it('uses the delimiter it is given', () => {
    const parsed = parseCsv('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(parsed.headers).toEqual(['a;b', 'c']);
  });
});

describe('row-numbered structural errors', () => {
  it('counts physical lines: the header is line 1, a quoted field spanning lines counts each, blank lines count', () => {
    const text = crlf('Name;Note', 'A;"two', 'lines"', '', 'B;"three', '', 'lines"', 'C;ok');
    const parsed = parseCsv(text);
    expect(parsed.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, 'A'],
      [5, 'B'],
      [8, 'C'],
    ]);
  });

  it('reports wrong column counts on their lines', () => {
    const text = crlf('Name;Country;Currency', 'Acme;CH;CHF', 'Short;CH', 'Long;CH;CHF;extra', 'Fine;FR;EUR');
    const parsed = parseCsv(text);
    expect(parsed.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'TooFewFields'],
      [4, 'TooManyFields'],
    ]);
    const result = validateRows('organizations', parsed, suggestMapping('organizations', parsed.headers), {
      dateFormat: 'yyyy-mm-dd',
      decimal: '.',
    });
    expect(result.valid.map((v) => v.line)).toEqual([2, 5]);
    expect(result.errors).toEqual([
      { line: 3, field: null, code: 'bad_row', value: 'TooFewFields' },
      { line: 4, field: null, code: 'bad_row', value: 'TooManyFields' },
    ]);
  });

  it('reports an unbalanced quote on the line where it opens', () => {
    const text = crlf('Name;Country;Currency', 'Acme;CH;CHF', '"Unclosed;CH;CHF', 'Next;FR;EUR');
    const parsed = parseCsv(text);
    expect(parsed.errors).toEqual([expect.objectContaining({ line: 3, code: 'MissingQuotes' })]);
    const result = validateRows('organizations', parsed, suggestMapping('organizations', parsed.headers), {
      dateFormat: 'yyyy-mm-dd',
      decimal: '.',
    });
    expect(result.valid.map((v) => v.line)).toEqual([2]);
    expect(result.errors).toEqual([{ line: 3, field: null, code: 'bad_row', value: 'MissingQuotes' }]);
  });

  it('says when no delimiter separates the columns', () => {
    expect(parseCsv('just one column\nvalue\n').errors).toEqual([
      expect.objectContaining({ line: 1, code: 'UndetectableDelimiter' }),
    ]);
  });
});

describe('field validation', () => {
  const invoices = crlf(
    'N° facture;Client;Date;Montant TTC;Devise;Statut',
    'F-2025-001;Zoë Müller;01.03.2025;1 234,50;CHF;payée',
    'F-2025-002;Łukasz Żółć;31.02.2025;10,00;EUR;paid',
    'F-2025-003;Acme;02.03.2025;12,345;CHF;unpaid',
    'F-2025-001;Again;03.03.2025;1,00;CHF;draft',
    'F-2025-004;;04.03.2025;abc;USD;lost',
    'f-2025-003;Case;05.03.2025;-12,5;EUR;',
  );
  const parsed = parseCsv(invoices);
  const mapping = suggestMapping('invoices', parsed.headers);
  const result = validateRows('invoices', parsed, mapping, { dateFormat: 'dd.mm.yyyy', decimal: ',' });

  it('maps French headers', () => {
    expect(mapping).toMatchObject({
      number: 0,
      organization: 1,
      issuedOn: 2,
      grossAmount: 3,
      currency: 4,
      status: 5,
      dueOn: null,
    });
  });

  it('gives every error its line, field, stable code and the value found', () => {
    expect(result.errors).toEqual([
      { line: 3, field: 'issuedOn', code: 'bad_date', value: '31.02.2025' },
      { line: 4, field: 'grossAmount', code: 'bad_amount', value: '12,345' },
      { line: 5, field: 'number', code: 'duplicate', value: 'F-2025-001', firstLine: 2 },
      { line: 6, field: 'organization', code: 'required', value: '' },
      { line: 6, field: 'currency', code: 'bad_enum', value: 'USD' },
      { line: 6, field: 'grossAmount', code: 'bad_amount', value: 'abc' },
      { line: 6, field: 'status', code: 'bad_enum', value: 'lost' },
      { line: 7, field: 'number', code: 'duplicate', value: 'f-2025-003', firstLine: 4 },
    ]);
  });

  it('a duplicate counts against the first VALID row with the key; the row with a bad amount held it', () => {
    // Line 4 failed (bad amount) yet kept its number: a later row with the same number is
    // still a duplicate — importing it would clash with the fixed line 4.
    expect(result.valid.map((v) => v.line)).toEqual([2]);
  });

  it('turns values into exact domain values', () => {
    expect(result.valid[0]?.values).toEqual({
      number: 'F-2025-001',
      kind: null,
      organization: 'Zoë Müller',
      issuedOn: '2025-03-01',
      dueOn: null,
      currency: 'CHF',
      netAmount: null,
      vatAmount: null,
      grossAmount: 123_450,
      vatRate: null,
      status: 'paid',
      paidAmount: null,
      paidOn: null,
      paymentReference: null,
      corrects: null,
    });
  });

  it('translates every error in en, fr and de', () => {
    for (const locale of ['en', 'fr', 'de'] as const) {
      for (const error of result.errors) {
        const message = importErrorMessage(error, 'invoices', locale);
        expect(message).toContain(String(error.line));
        expect(message).not.toMatch(/\{\{/);
      }
    }
    expect(importErrorMessage(result.errors[2]!, 'invoices', 'fr')).toBe(
      'Ligne 5 : N° de facture « F-2025-001 » figure déjà à la ligne 2.',
    );
  });

  it('finds duplicate organizations by name and country, ignoring case and spacing', () => {
    const parsed2 = parseCsv(
      crlf(
        'Firma,Land,Währung',
        'Acme SA,CH,CHF',
        'ACME  sa,Schweiz,CHF',
        'Acme SA,FR,EUR',
        'Nowhere,Atlantis,CHF',
      ),
    );
    const r = validateRows('organizations', parsed2, suggestMapping('organizations', parsed2.headers), {
      dateFormat: 'yyyy-mm-dd',
      decimal: '.',
    });
    expect(r.valid.map((v) => [v.line, v.values.country])).toEqual([
      [2, 'CH'],
      [4, 'FR'],
    ]);
    expect(r.errors).toEqual([
      { line: 3, field: 'name', code: 'duplicate', value: 'ACME  sa', firstLine: 2 },
      { line: 5, field: 'country', code: 'bad_country', value: 'Atlantis' },
    ]);
  });

  it('reads amounts exactly with the decimal mark it is told, never a float', () => {
    const text = crlf(
      'Invoice number;Customer;Date;Total;Currency',
      ...[
        "A-1;x;2025-01-01;1'234.50;CHF",
        'A-2;x;2025-01-01;1 234.50;CHF',
        'A-3;x;2025-01-01;0.1;CHF',
        'A-4;x;2025-01-01;-0.07;CHF',
        'A-5;x;2025-01-01;12.345;CHF',
        'A-6;x;2025-01-01;1,5;CHF',
      ],
    );
    const p = parseCsv(text);
    const r = validateRows('invoices', p, suggestMapping('invoices', p.headers), {
      dateFormat: 'yyyy-mm-dd',
      decimal: '.',
    });
    expect(r.valid.map((v) => v.values.grossAmount)).toEqual([123_450, 123_450, 10, -7]);
    expect(r.errors.map((e) => [e.line, e.code, e.value])).toEqual([
      [6, 'bad_amount', '12.345'],
      // Read with the other mark, it is 1.50: the message says which mark the file uses.
      [7, 'decimal_mark_odd', '1,5'],
    ]);
  });

  it('flags every required field the mapping leaves out', () => {
    const p = parseCsv(crlf('Name,Country', 'Acme,CH'));
    const r = validateRows('organizations', p, suggestMapping('organizations', p.headers), {
      dateFormat: 'yyyy-mm-dd',
      decimal: '.',
    });
    expect(r.unmappedRequired).toEqual(['currency']);
    expect(r.errors).toEqual([{ line: 2, field: 'currency', code: 'required', value: '' }]);
  });
});

describe('dates are never guessed', () => {
  it('reports every format consistent with the values', () => {
    expect(detectDateFormats(['01/02/2025', '03/04/2025'])).toEqual(['dd/mm/yyyy', 'mm/dd/yyyy']);
    expect(detectDateFormats(['01/02/2025', '13/04/2025'])).toEqual(['dd/mm/yyyy']);
    expect(detectDateFormats(['01/02/2025', '04/13/2025'])).toEqual(['mm/dd/yyyy']);
    expect(detectDateFormats(['2025-03-01'])).toEqual(['yyyy-mm-dd']);
    expect(detectDateFormats(['01.03.2025'])).toEqual(['dd.mm.yyyy']);
    expect(detectDateFormats(['01/02/25'])).toEqual([]);
  });

  it('the preview asks instead of guessing when the day and month could swap', () => {
    const bytes = Buffer.from(
      crlf(
        'Invoice number,Customer,Date,Total,Currency',
        'A-1,x,01/02/2025,10.00,CHF',
        'A-2,x,03/04/2025,10.00,CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.dateFormat).toBeNull();
    expect(preview.dateFormatCandidates).toEqual(['dd/mm/yyyy', 'mm/dd/yyyy']);
    // Shown as found, unchecked, until the user chooses.
    expect(preview.rows.map((r) => r.values.issuedOn)).toEqual(['01/02/2025', '03/04/2025']);

    const chosen = previewImport(bytes, 'invoices', { dateFormat: 'mm/dd/yyyy' });
    expect(chosen.rows.map((r) => r.values.issuedOn)).toEqual(['2025-01-02', '2025-03-04']);
  });

  it('the preview needs no question when only one reading exists', () => {
    const bytes = Buffer.from(
      crlf(
        'Invoice number,Customer,Date,Total,Currency',
        'A-1,x,01/02/2025,10.00,CHF',
        'A-2,x,13/04/2025,10.00,CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.dateFormat).toBe('dd/mm/yyyy');
    expect(preview.rows.map((r) => r.values.issuedOn)).toEqual(['2025-02-01', '2025-04-13']);
  });

  it('a file without dates needs no date format', () => {
    const preview = previewImport(Buffer.from(crlf('Name;Country;Currency', 'Acme;CH;CHF')), 'organizations');
    expect(preview.dateFormat).not.toBeNull();
    expect(preview.decimal).not.toBeNull();
    expect(preview.errors).toEqual([]);
  });

  it('a date no format can read is an error even before the user chooses', () => {
    const bytes = Buffer.from(
      crlf(
        'Invoice number,Customer,Date,Total,Currency',
        'A-1,x,01/02/2025,10.00,CHF',
        'A-2,x,03/04/2025,10.00,CHF',
        'A-3,x,soon,10.00,CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.dateFormat).toBeNull();
    expect(preview.errors).toEqual([{ line: 4, field: 'issuedOn', code: 'bad_date', value: 'soon' }]);
  });

  it('reads the decimal mark from the amounts when only one reading exists', () => {
    // Two decimals at most and thousands in threes: "1,234" is 1234 and "2,50" is 2.50.
    const bytes = Buffer.from(
      crlf(
        'Invoice number;Customer;Date;Total;Currency',
        'A-1;x;2025-01-01;1,234;CHF',
        'A-2;x;2025-01-01;12.50;CHF',
        'A-3;x;2025-01-01;abc;CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.decimal).toBe('.');
    expect(preview.rows.map((r) => r.values.grossAmount)).toEqual([123_400, 1250]);
    expect(preview.errors.map((e) => [e.line, e.code])).toEqual([[4, 'bad_amount']]);
  });

  it('asks for the decimal mark when the file mixes both as decimals', () => {
    const bytes = Buffer.from(
      crlf(
        'Invoice number;Customer;Date;Total;Currency',
        'A-1;x;2025-01-01;1,50;CHF',
        'A-2;x;2025-01-01;2.50;CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.decimal).toBeNull();
    expect(preview.decimalCandidates).toEqual([]);
    expect(preview.rows.map((r) => r.values.grossAmount)).toEqual(['1,50', '2.50']);
    expect(previewImport(bytes, 'invoices', { decimal: ',' }).errors).toEqual([
      { line: 3, field: 'grossAmount', code: 'decimal_mark_odd', value: '2.50', mark: ',' },
    ]);
  });

  it('blames the odd amounts of a file that mixes decimal marks, never the usual ones', () => {
    // Three amounts written "1.234,50" (only ',' reads them), one written "1,234.50".
    const bytes = Buffer.from(
      crlf(
        'Invoice number;Customer;Date;Net;VAT;Total;Currency',
        'A-1;x;2025-01-01;1.234,50;0,00;1.234,50;CHF',
        'A-2;x;2025-01-01;2.000,00;0,00;2.000,00;CHF',
        'A-3;x;2025-01-01;1,234.50;0,00;1.234,50;CHF',
      ),
    );
    const preview = previewImport(bytes, 'invoices');
    expect(preview.decimal).toBe(',');
    expect(preview.errors).toEqual([
      { line: 4, field: 'netAmount', code: 'decimal_mark_odd', value: '1,234.50', mark: ',' },
    ]);
    expect(preview.rows.map((r) => r.values.grossAmount)).toEqual([123_450, 200_000]);
    const message = importErrorMessage(preview.errors[0] as ImportError, 'invoices', 'en');
    expect(message).toBe(
      'Line 4: “1,234.50” (Total excl. tax) is written with the other decimal mark; the rest of the file uses “,”.',
    );
    expect(importErrorMessage(preview.errors[0] as ImportError, 'invoices', 'de')).toContain('Zeile 4');
    expect(importErrorMessage(preview.errors[0] as ImportError, 'invoices', 'fr')).toContain('Ligne 4');
  });
});

describe('preview', () => {
  it('returns the first 20 mapped rows and ALL errors', () => {
    const lines = ['Nom;Pays;Devise'];
    for (let i = 1; i <= 60; i++) lines.push(i % 10 === 0 ? `Org ${i};Mars;CHF` : `Org ${i};CH;CHF`);
    const preview = previewImport(Buffer.from(crlf(...lines)), 'organizations');
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toEqual({
      line: 2,
      values: expect.objectContaining({ name: 'Org 1', country: 'CH' }),
    });
    expect(preview.totalRows).toBe(60);
    expect(preview.errors.map((e) => e.line)).toEqual([11, 21, 31, 41, 51, 61]);
    expect(preview.errors.every((e) => e.code === 'bad_country')).toBe(true);
  });

  it('undoes Kontor’s own formula neutralisation on a round trip', () => {
    const preview = previewImport(Buffer.from(crlf('Nom;Pays;Devise', "'=Acme;CH;CHF")), 'organizations');
    expect(preview.rows[0]?.values.name).toBe('=Acme');
  });
});

describe('schemas', () => {
  it('recognises headers in en, fr and de', () => {
    expect(suggestMapping('organizations', ['Firma', 'Land', 'Währung'])).toMatchObject({
      name: 0,
      country: 1,
      currency: 2,
    });
    expect(suggestMapping('organizations', ['Raison sociale', 'Pays', 'Devise'])).toMatchObject({
      name: 0,
      country: 1,
      currency: 2,
    });
    expect(
      suggestMapping('products', ['Produkt', 'Kunde', 'Typ', 'Preis', 'Währung', 'Intervall']),
    ).toMatchObject({
      name: 0,
      organization: 1,
      kind: 2,
      price: 3,
      currency: 4,
      billingFrequency: 5,
    });
  });

  it('every kind has fields with aliases and a stable shape', () => {
    for (const schema of Object.values(IMPORT_SCHEMAS)) {
      expect(schema.fields.length).toBeGreaterThan(3);
      for (const field of schema.fields) {
        expect(field.aliases.length).toBeGreaterThan(0);
        if (field.type === 'enum') expect(field.options?.length).toBeGreaterThan(0);
      }
    }
  });
});
