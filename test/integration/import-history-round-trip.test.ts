// Issue 15: Kontor's own export, imported into a fresh book, is the same history — issued
// documents with their numbers, dates, statuses, paid amounts (as payments), due dates,
// references, credit notes with their sign and the invoice they correct — and exporting it
// again gives the same bytes. Two years of a generated book, through every CSV profile (and
// the XLSX of the re-imported book compared cell by cell). Imports question what does not add
// up; every refusal names its line, column and value, in the person's language.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_PROFILES, type CsvProfileId } from '#core/export/csv/csv-writer';
import { CH_QR_IBAN, createPayer, line, setUpProvider, TAX_IDS } from '../helpers/invoices';
import { FixedClock, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-history-');
const PROFILES = Object.keys(CSV_PROFILES) as CsvProfileId[];
const ALL = { organizationIds: [], statuses: [], kinds: [] };

/** Lines that cannot be identical after a round trip. None: the list stays empty on purpose. */
const DIFFERENT_LINES: RegExp[] = [];

interface World {
  provider: string;
  payers: { id: string; name: string }[];
}

/** The same organizations and addresses in any book: the world the invoices refer to. */
async function world(k: TestKontor): Promise<World> {
  const provider = await setUpProvider(k, { name: 'Hébergeur Histoire SA', iban: CH_QR_IBAN });
  const payers = [
    await createPayer(k, { name: 'Zoë Müller Sàrl', uid: TAX_IDS.chUid, city: 'Lausanne' }),
    await createPayer(k, { name: 'Łukasz Żółć SARL', country: 'FR', vatNumber: TAX_IDS.frVat }),
    await createPayer(k, { name: 'Berliner Hosting GmbH', country: 'DE', vatNumber: TAX_IDS.deVat }),
    await createPayer(k, { name: 'Particulier Genève', kind: 'individual', city: 'Genève' }),
  ];
  return { provider, payers };
}

async function exportCsv(k: TestKontor, profile: CsvProfileId, locale: 'en' | 'fr' | 'de'): Promise<string> {
  const out = path.join(space.dir(), `${profile}-${locale}.csv`);
  await k.ok('exports.invoices', { format: 'csv', profile, locale, out, filters: ALL });
  return out;
}

async function xlsxCells(file: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const rows: unknown[][] = [];
  book.worksheets[0]?.eachRow((row) => {
    const values = (row.values as unknown[])
      .slice(1)
      .map((v) =>
        v && typeof v === 'object' && 'richText' in v
          ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('')
          : v instanceof Date
            ? v.toISOString()
            : v,
      );
    rows.push(values);
  });
  return rows;
}

let source: TestKontor;
let sourceWorld: World;

describe('history import: export → fresh book → import → export', () => {
  beforeAll(async () => {
    const clock = new FixedClock('2024-01-08T09:00:00.000Z');
    source = space.kontor({ clock });
    sourceWorld = await world(source);
    // Two years, a document every ten days: paid, partly paid, unpaid and overdue, credit
    // notes in full (cancelled, refunded) and in part, pro formas.
    for (let i = 0; i < 72; i++) {
      const payer = sourceWorld.payers[i % sourceWorld.payers.length] as { id: string };
      const unit = [5, 4_990, 12_345, 99_999, 1_000_000, 250_000][i % 6] as number;
      if (i % 11 === 7) {
        const product = await source.ok('products.create', {
          organizationId: payer.id,
          kind: 'domain',
          name: `domaine-${i}.ch`,
          publicPriceMinor: unit,
          billingFrequency: 'annual',
          nextRenewalOn: '2027-01-01',
        });
        await source.ok('invoices.proForma', {
          organizationId: payer.id,
          productIds: [product.id],
          issue: true,
        });
      } else {
        const draft = await source.ok('invoices.create', {
          organizationId: payer.id,
          lines: [line(unit), line(unit * 3 + 1, { quantityMilli: 2500, discountBp: 1000 })],
        });
        const issued = await source.ok('invoices.issue', { id: draft.id });
        if (i % 5 === 1 || i % 5 === 2) {
          await source.ok('payments.record', {
            invoiceId: issued.id,
            method: 'bank_transfer',
            amountMinor: i % 5 === 1 ? issued.grossMinor : Math.floor(issued.grossMinor / 3),
            currency: issued.currency,
            receivedOn: clock.now().toISOString().slice(0, 10),
          });
        }
        if (i % 9 === 3) await source.ok('invoices.creditNote', { invoiceId: issued.id });
        if (i % 9 === 4) {
          await source.ok('invoices.creditNote', {
            invoiceId: issued.id,
            lines: [line(Math.max(1, Math.floor(unit / 2)))],
          });
        }
      }
      clock.advance(10 * 24 * 3600 * 1000);
    }
    expect(
      source.raw.prepare("SELECT count(*) FROM invoices WHERE kind = 'credit_note'").pluck().get(),
    ).toBeGreaterThan(8);
  }, 300_000);

  it.each(PROFILES)(
    '%s: the re-imported book exports the same bytes, in every language',
    async (profile) => {
      for (const locale of ['en', 'fr', 'de'] as const) {
        const before = await exportCsv(source, profile, locale);
        const fresh = space.kontor({ clock: new FixedClock(source.clock.now().toISOString()) });
        await world(fresh);
        const report = await fresh.ok('imports.run', {
          kind: 'invoices',
          contentBase64: fs.readFileSync(before).toString('base64'),
          locale,
        });
        expect(report.errors, `${profile} ${locale}`).toEqual([]);
        const total = source.raw.prepare('SELECT count(*) FROM invoices').pluck().get();
        expect(report.imported).toBe(total);
        const after = await exportCsv(fresh, profile, locale);
        const a = fs.readFileSync(before, 'utf8').split('\r\n');
        const b = fs.readFileSync(after, 'utf8').split('\r\n');
        const differing = a.filter(
          (lineA, i) => lineA !== b[i] && !DIFFERENT_LINES.some((r) => r.test(lineA)),
        );
        expect(differing, `${profile} ${locale}`).toEqual([]);
        expect(b.length).toBe(a.length);

        // Issued history, immutable, never renumbered; payments where money came in.
        const issued = fresh.raw
          .prepare(
            "SELECT count(*) FROM invoices WHERE status <> 'draft' AND series LIKE 'import:%' AND sequence IS NULL",
          )
          .pluck()
          .get();
        expect(issued).toBe(total);
        expect(
          fresh.raw
            .prepare("SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE outcome = 'applied'")
            .pluck()
            .get(),
        ).toBe(
          source.raw
            .prepare("SELECT coalesce(sum(paid_minor), 0) FROM invoices WHERE kind <> 'credit_note'")
            .pluck()
            .get(),
        );
        const any = fresh.raw
          .prepare("SELECT id FROM invoices WHERE kind = 'invoice' LIMIT 1")
          .pluck()
          .get() as string;
        expect(() => fresh.raw.prepare("UPDATE invoices SET number = 'X' WHERE id = ?").run(any)).toThrow(
          /invoice_issued_immutable/,
        );
        // Every write went through the change log (sync sends it).
        expect(
          fresh.raw.prepare("SELECT count(*) FROM change_log WHERE table_name = 'payments'").pluck().get(),
        ).toBeGreaterThan(0);
        // A credit note keeps the invoice it corrects.
        expect(
          fresh.raw
            .prepare(
              "SELECT count(*) FROM invoices WHERE kind = 'credit_note' AND corrects_invoice_id IS NOT NULL",
            )
            .pluck()
            .get(),
        ).toBe(source.raw.prepare("SELECT count(*) FROM invoices WHERE kind = 'credit_note'").pluck().get());
        fresh.close();
      }
    },
    300_000,
  );

  it('the XLSX of the re-imported book has the same cells', async () => {
    const csv = await exportCsv(source, 'excel-ch', 'fr');
    const fresh = space.kontor({ clock: new FixedClock(source.clock.now().toISOString()) });
    await world(fresh);
    await fresh.ok('imports.run', {
      kind: 'invoices',
      contentBase64: fs.readFileSync(csv).toString('base64'),
    });
    const files = [0, 1].map((i) => path.join(space.dir(), `book-${i}.xlsx`));
    for (const [i, k] of [source, fresh].entries()) {
      await k.ok('exports.invoices', {
        format: 'xlsx',
        profile: 'spreadsheet',
        locale: 'fr',
        out: files[i] as string,
        filters: ALL,
      });
    }
    expect(await xlsxCells(files[1] as string)).toEqual(await xlsxCells(files[0] as string));
  }, 120_000);

  it('imports the same file only once: every number is refused the second time', async () => {
    const csv = await exportCsv(source, 'spreadsheet', 'en');
    const fresh = space.kontor({ clock: new FixedClock(source.clock.now().toISOString()) });
    await world(fresh);
    const content = fs.readFileSync(csv).toString('base64');
    await fresh.ok('imports.run', { kind: 'invoices', contentBase64: content });
    const again = await fresh.ok('imports.run', { kind: 'invoices', contentBase64: content });
    expect(again.refused).toBe(true);
    expect(again.errors.every((e) => e.code === 'import_number_exists')).toBe(true);
  });
});

describe('imports question what does not add up', () => {
  let k: TestKontor;
  beforeAll(async () => {
    k = space.kontor();
    await world(k);
  });

  const run = (csv: string, extra: Record<string, unknown> = {}) =>
    k.ok('imports.run', {
      kind: 'invoices',
      contentBase64: Buffer.from(csv).toString('base64'),
      ...extra,
    } as never);
  const HEAD = 'Number,Kind,Status,Issued on,Organization,Currency,Net,VAT,Total,Paid';

  it('refuses net + VAT ≠ total, a rate not of the country, a negative invoice, a foreign currency — with line, column and value', async () => {
    const report = await run(
      [
        HEAD,
        'H-1,invoice,unpaid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,8.10,150.00,0',
        'H-2,invoice,unpaid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,50.00,150.00,0',
        'H-3,invoice,paid,2026-01-05,Zoë Müller Sàrl,CHF,-10.00,-0.81,-10.81,-10.81',
        'H-4,invoice,unpaid,2026-01-05,Zoë Müller Sàrl,EUR,100.00,8.10,108.10,0',
        'H-5,invoice,unpaid,2021-01-05,Zoë Müller Sàrl,CHF,100.00,7.70,107.70,0',
        '',
      ].join('\n'),
      { locale: 'fr' },
    );
    expect(report.refused).toBe(true);
    expect(report.errors.map((e) => [e.line, e.field, e.code, e.value])).toEqual([
      [2, 'grossAmount', 'import_totals_mismatch', '15000'],
      [3, 'vatAmount', 'import_vat_rate_not_allowed', '5000'],
      [4, 'grossAmount', 'import_negative_amount', '-1081'],
      [5, 'currency', 'import_currency_mismatch', 'EUR'],
    ]);
    expect(report.errors[0]?.message).toBe(
      // The line, the column at fault as the mapping screen names it, then what is wrong.
      'Ligne 2 (Total TTC) : HT 100.00\u00a0CHF + TVA 8.10\u00a0CHF ne donne pas le total 150.00\u00a0CHF : vérifiez les montants.',
    );
    expect(report.errors[1]?.message).toContain('--accept-vat-rates');
    expect(report.summary).toBe(
      '4 erreur(s) sur 5 lignes : rien n’a été importé (--only-valid importe les lignes valides).',
    );
    // The flag the message names keeps the unusual rate (a history from another tool).
    const accepted = await run(
      [HEAD, 'H-6,invoice,unpaid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,50.00,150.00,0', ''].join('\n'),
      {
        acceptVatRates: true,
      },
    );
    expect(accepted).toMatchObject({ imported: 1, refused: false });
  });

  it('refuses a status the amounts do not make: cancelled without its credit note, paid with nothing paid', async () => {
    const report = await run(
      [
        HEAD,
        'S-1,invoice,cancelled,2026-01-05,Zoë Müller Sàrl,CHF,100.00,8.10,108.10,0',
        'S-2,invoice,paid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,8.10,108.10,0',
        // Paid in full without an amount (a tool with no such column) adds up.
        'S-3,invoice,paid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,8.10,108.10,',
        '',
      ].join('\n'),
    );
    expect(report.refused).toBe(true);
    expect(report.errors.map((e) => [e.line, e.field, e.code, e.value])).toEqual([
      [2, 'status', 'import_status_mismatch', 'cancelled'],
      [3, 'status', 'import_status_mismatch', 'paid'],
    ]);
    expect(report.errors[0]?.message).toContain('its credit note');
  });

  it('refuses hidden characters, names the unknown organization, a repeated header, an empty file, a header alone', async () => {
    const hidden = await run(
      [
        HEAD,
        'H-7,invoice,unpaid,2026-01-05,Zoë\u202eMüller,CHF,100.00,8.10,108.10,0',
        'H-8,invoice,unpaid,2026-01-05,Personne SA,CHF,1.00,0.08,1.08,0',
        '',
      ].join('\n'),
      { locale: 'de' },
    );
    expect(hidden.errors.map((e) => [e.line, e.field, e.code, e.value])).toEqual([
      [2, 'organization', 'bad_characters', 'U+202E'],
      [3, 'organization', 'import_organization_unknown', 'Personne SA'],
    ]);
    expect(hidden.errors[1]?.message).toContain('„Personne SA“');
    const refused = async (csv: string | Buffer, code: string, extra: Record<string, unknown> = {}) => {
      const result = await k.call('imports.run', {
        kind: 'invoices',
        contentBase64: Buffer.from(csv).toString('base64'),
        ...extra,
      });
      expect(result.ok ? 'ok' : result.error.code).toBe(code);
      return result.ok ? '' : result.error.message;
    };
    expect(await refused('', 'import_empty')).toContain('empty');
    expect(await refused(`${HEAD}\r\n`, 'import_header_only')).toContain('Number, Kind');
    expect(await refused('Number,Name,Name\r\n1,a,b\r\n', 'import_header_repeated')).toContain('B and C');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    expect(await refused(png, 'import_not_text', { locale: 'fr' })).toContain('PNG');
    expect(
      await refused('Number;Kind\r\nA;invoice\r\n', 'import_delimiter_wrong', { delimiter: ',' }),
    ).toContain('“;”');
  });

  it('reads UTF-16 with and without a BOM, both byte orders, and Windows-1252', async () => {
    const csv = `${HEAD}\r\nE-1,invoice,unpaid,2026-01-05,Zoë Müller Sàrl,CHF,100.00,8.10,108.10,0\r\n`;
    const le = Buffer.from(csv, 'utf16le');
    const be = Buffer.from(le).swap16();
    const variants: [string, Buffer][] = [
      ['utf-16le bom', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ['utf-16le', le],
      ['utf-16be bom', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ['utf-16be', be],
      ['windows-1252', Buffer.from(csv, 'latin1')],
      ['utf-8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])],
    ];
    for (const [name, bytes] of variants) {
      const result = await k.ok('imports.run', {
        kind: 'invoices',
        contentBase64: bytes.toString('base64'),
        dryRun: true,
      });
      expect([name, result.errors]).toEqual([name, []]);
      expect(result.imported).toBe(1);
    }
  });
});
