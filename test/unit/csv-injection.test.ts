import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Column } from '#core/export/csv/columns';
import {
  ALWAYS_QUOTED,
  CSV_PROFILES,
  type CsvProfileId,
  makeQuoter,
  writeCsv,
} from '#core/export/csv/csv-writer';
import { isFormulaLike, neutraliseText, unneutraliseText } from '#core/export/csv/formula-guard';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];
const BLANKS = ['', ' ', '   ', '\u00a0', '\u202f', '\u3000', ' \u00a0 ', '\u2009', '\ufeff', '\u200b'];
const PROFILES = Object.keys(CSV_PROFILES) as CsvProfileId[];

interface Row {
  text: string;
  amount: number | null;
}
const columns: Column<Row>[] = [
  { key: 'text', header: { en: 'Text', fr: 'Texte', de: 'Text' }, type: 'text', value: (r) => r.text },
  {
    key: 'amount',
    header: { en: 'Amount', fr: 'Montant', de: 'Betrag' },
    type: 'money',
    value: (r) => r.amount,
  },
];

async function csvOf(
  rows: Row[],
  profile: CsvProfileId,
  engine: 'fast' | 'papaparse' = 'fast',
): Promise<string> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  await writeCsv(rows, columns, profile, out, { engine });
  out.end();
  return Buffer.concat(parts).toString('utf8');
}

/** Reads a CSV the way a strict reader does: papaparse with the profile's delimiter. */
function readBack(csv: string, profile: CsvProfileId): string[][] {
  const text = csv.startsWith('\ufeff') ? csv.slice(1) : csv;
  const parsed = Papa.parse<string[]>(text, { delimiter: CSV_PROFILES[profile].delimiter, newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  const rows = parsed.data;
  // The writer ends every line with CRLF: papaparse sees one empty last line.
  expect(rows.at(-1)).toEqual(['']);
  return rows.slice(0, -1);
}

describe('formula injection: text cells that a spreadsheet would execute get an apostrophe', () => {
  it.each(TRIGGERS.flatMap((t) => BLANKS.map((b) => [JSON.stringify(b + t), `${b}${t}cmd|" /C calc"!A0`])))(
    'neutralises %s',
    (_label, value) => {
      expect(isFormulaLike(value)).toBe(true);
      expect(neutraliseText(value)).toBe(`'${value}`);
    },
  );

  it.each([
    ['=1+1'],
    ['+A1'],
    ['-1+2'],
    ['+SUM(A1:A9)'],
    ['-cmd|" /C calc"!A0'],
    ['@SUM(A1)'],
    ['＝1+1'],
    ['　＠SUM(A1)'],
    ['\u00a0=HYPERLINK("http://evil","x")'],
    ['\tabc'],
  ])('neutralises %j', (value) => {
    expect(neutraliseText(value)).toBe(`'${value}`);
  });

  it('guards every line and every part after a separator as if it were a cell start (issue 15)', () => {
    // A ';' file read with ',' starts a cell after each comma; a reader splitting on line
    // breaks starts one after each line break: each part that would evaluate gets its own
    // apostrophe, and the parts that would not are left as they are.
    const cases: [string, string][] = [
      ['Acme SA\n=1+1', "Acme SA\n'=1+1"],
      ['=1+1;=2+2,=3+3', "'=1+1;'=2+2,'=3+3"],
      ['Acme,=1+1', "Acme,'=1+1"],
      ['Acme, =1+1', "Acme,' =1+1"],
      ['a\r\n  @SUM(A1)', "a\r\n'  @SUM(A1)"],
      ['a\r+x', "a\r'+x"],
      ['ok\nok\n\u00a0－5', "ok\nok\n'\u00a0－5"],
      ['\r\nabc', "'\r\nabc"],
      ['x\tab', 'x\tab'],
      ['Tel. 021, +41 21 555 55 55', 'Tel. 021, +41 21 555 55 55'],
    ];
    for (const [value, guarded] of cases) {
      expect(neutraliseText(value), JSON.stringify(value)).toBe(guarded);
      expect(unneutraliseText(guarded)).toBe(value);
    }
    expect(neutraliseText('line one\nline two\n')).toBe('line one\nline two\n');
  });

  it.each([
    ['+41 21 555 55 55'],
    ['+41 (0)21 555 55 55'],
    ['-12.50'],
    ['-'],
    ['+'],
    ["-1'234.50"],
    ['2+2 Consulting'],
    ['jean.dupont+factures@example.ch'],
  ])('leaves %j alone: a spreadsheet reads it as text or as a number, never as a formula', (value) => {
    expect(isFormulaLike(value)).toBe(false);
    expect(neutraliseText(value)).toBe(value);
  });

  it.each([
    ['Zoë Müller'],
    ['Łukasz Żółć'],
    ['Acme SA'],
    ['1+1='],
    ['a-b'],
    ['e-mail@example.com'],
    ['12.50'],
    [''],
    ['   '],
    ["'=already quoted"],
    ['(1)'],
    ['#REF!'],
  ])('leaves %j alone', (value) => {
    expect(neutraliseText(value)).toBe(value);
  });

  it('undoes its own neutralisation on import, and only that', () => {
    for (const value of ['=1+1', ' @x', '－1', 'a\n=b', 'a;+b,=c\n-d'])
      expect(unneutraliseText(neutraliseText(value))).toBe(value);
    expect(unneutraliseText("'quoted text")).toBe("'quoted text");
  });

  it.each(PROFILES)(
    '%s: money cells are plain numbers, never quoted or neutralised — a negative amount is a number',
    async (profile) => {
      const csv = await csvOf(
        [
          { text: 'refund', amount: -123_450 },
          { text: 'small', amount: -5 },
          { text: 'zero', amount: 0 },
          { text: 'none', amount: null },
        ],
        profile,
      );
      const dec = CSV_PROFILES[profile].decimal;
      const d = CSV_PROFILES[profile].delimiter;
      const lines = csv.replace(/^\ufeff/, '').split('\r\n');
      expect(lines.slice(1, 5)).toEqual([
        `refund${d}-1234${dec}50`,
        `small${d}-0${dec}05`,
        `zero${d}0${dec}00`,
        `none${d}`,
      ]);
      expect(csv).not.toContain("'-");
    },
  );

  it.each(PROFILES)('%s: dangerous text reaches the file with its apostrophe', async (profile) => {
    const values = ['=1+1', '+A1', '-x', '@SUM(A1)', '＝1', ' \u00a0=2', '\t=lines'];
    const rows = readBack(
      await csvOf(
        values.map((text) => ({ text, amount: 1 })),
        profile,
      ),
      profile,
    );
    expect(rows.slice(1).map((r) => r[0])).toEqual(values.map(neutraliseText));
    expect(rows.slice(1).every((r) => r[0]?.startsWith("'"))).toBe(true);
  });

  it('refuses a money value that is not integer minor units (a programming error, not data)', async () => {
    await expect(csvOf([{ text: 'x', amount: 12.5 }], 'spreadsheet')).rejects.toThrow(/integer minor units/);
  });
});

describe('quoting round-trips through papaparse’s own parser', () => {
  const tricky = [
    'plain',
    'Zoë Müller',
    'Łukasz Żółć',
    'say "hello"',
    '"',
    '""',
    'a;b',
    'a,b',
    'line\nbreak',
    'crlf\r\nbreak',
    'lone\rcr',
    ' leading space',
    'trailing space ',
    'tab\tinside',
    'émoji 🧾 and 日本語',
    '\ufeffbom inside',
    'pipe|bar',
    '',
  ];

  it.each(PROFILES)('%s: tricky text comes back exactly (after the apostrophe rule)', async (profile) => {
    for (const engine of ['fast', 'papaparse'] as const) {
      const rows = readBack(
        await csvOf(
          tricky.map((text) => ({ text, amount: 100 })),
          profile,
          engine,
        ),
        profile,
      );
      expect(rows[0]).toEqual(['Text', 'Amount']);
      expect(rows.slice(1).map((r) => r[0])).toEqual(tricky.map(neutraliseText));
    }
  });

  it('the hand-written quoter produces byte-for-byte what Papa.unparse produces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom(',', ';'),
        (rows, delimiter) => {
          const width = rows[0]?.length ?? 0;
          const data = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x'));
          const quote = makeQuoter(delimiter);
          const mine = data.map((r) => r.map(quote).join(delimiter)).join('\r\n');
          expect(mine).toBe(
            Papa.unparse(data, {
              delimiter,
              newline: '\r\n',
              header: false,
              // Kontor quotes every , ; TAB in every profile (makeQuoter).
              quotes: (value: unknown) => typeof value === 'string' && ALWAYS_QUOTED.test(value),
            }),
          );
        },
      ),
      { seed: 20261123, numRuns: 300 },
    );
  }, 60_000);

  it('any text survives the writer and papaparse’s parser (property, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...PROFILES),
        async (texts, profile) => {
          const rows = readBack(
            await csvOf(
              texts.map((text) => ({ text, amount: -1 })),
              profile,
            ),
            profile,
          );
          expect(rows.slice(1).map((r) => r[0])).toEqual(texts.map(neutraliseText));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  }, 60_000);
});
