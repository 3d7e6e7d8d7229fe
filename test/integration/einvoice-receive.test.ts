// Receiving suppliers' e-invoices: CEN's own sample invoices import with their totals; a file
// that breaks the EN 16931 rules is refused with its rule ids — the same verdict the official
// CEN validator gives, checked in one batched run — and hostile or broken files (entities,
// external entities, size, wrong namespaces, a PDF without XML) are refused whole, translated,
// with nothing written. Received documents are marked paid and exported through the CSV
// profiles and as XLSX.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateEn16931, validatorsDir } from '../helpers/en16931';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-receive-');
let k: TestKontor;
let buyerId: string;
const examples = () => path.join(validatorsDir(), 'examples');
const cii = () => fs.readFileSync(path.join(examples(), 'CII_example1.xml'), 'utf8');
const ubl = () => fs.readFileSync(path.join(examples(), 'UBL_example1.xml'), 'utf8');
const upload = (name: string, content: string | Buffer) => ({
  name,
  contentBase64: Buffer.from(content).toString('base64'),
});

/** Nothing a refusal may leave: no received document, no activity. */
function written(): [number, number] {
  return [count(k.raw, 'received_documents'), count(k.raw, 'activity')];
}

beforeAll(async () => {
  k = space.kontor();
  const buyer = await k.ok('organizations.create', {
    kind: 'company',
    name: 'ODIN 59',
    country: 'CH',
    currency: 'EUR',
  } as never);
  buyerId = (buyer as { id: string }).id;
});

/** The tampered copies, and the rule each must break. */
const TAMPERED: [string, string, () => string][] = [
  [
    'grand-total.xml',
    'BR-CO-15',
    () =>
      ubl().replace(
        '<cbc:TaxInclusiveAmount currencyID="EUR">250.33<',
        '<cbc:TaxInclusiveAmount currencyID="EUR">250.34<',
      ),
  ],
  [
    'line-sum.xml',
    'BR-CO-10',
    () =>
      ubl().replace(
        '<cbc:LineExtensionAmount currencyID="EUR">229.60<',
        '<cbc:LineExtensionAmount currencyID="EUR">229.70<',
      ),
  ],
  [
    'no-number.xml',
    'BR-02',
    () => cii().replace(/<ram:ID>[^<]*<\/ram:ID>(\s*<ram:TypeCode>)/, '<ram:ID></ram:ID>$1'),
  ],
  [
    'no-seller-name.xml',
    'BR-06',
    () => ubl().replace('<cbc:RegistrationName>De Koksmaat</cbc:RegistrationName>', ''),
  ],
];

describe('suppliers’ e-invoices', () => {
  it('CEN’s sample CII and UBL invoices import with their totals, lines and parties', async () => {
    const [docsBefore, activityBefore] = written();
    const { results } = await k.ok('received.import', {
      uploads: [upload('CII_example1.xml', cii()), upload('UBL_example1.xml', ubl())],
      organizationId: buyerId,
    });
    // Both samples are the same invoice (12115118 from De Koksmaat) in two syntaxes.
    expect(results.map((r) => r.status)).toEqual(['imported', 'duplicate']);
    // One document and its one activity row; the duplicate adds neither.
    expect(written()).toEqual([docsBefore + 1, activityBefore + 1]);
    const doc = await k.ok('received.get', { id: results[0]?.id as string });
    expect([doc.netMinor, doc.vatMinor, doc.grossMinor, doc.payableMinor]).toEqual([
      22960, 2073, 25033, 25033,
    ]);
    expect(doc.sellerName).toBe('De Koksmaat');
    expect(doc.model.lines).toHaveLength(20);
    expect(doc.model.vat.map((v) => [v.category, v.rateBp])).toEqual([
      ['S', 600],
      ['S', 2100],
    ]);
    expect(doc.format).toBe('cii');
  });

  it('a file that breaks the rules is refused with its rule ids, as the CEN validator refuses it; nothing is written', async () => {
    const dir = space.dir();
    const files = TAMPERED.map(([name, , make]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, make());
      return file;
    });
    const verdicts = validateEn16931(files, path.join(dir, 'work'));
    const before = written();
    for (const [i, [name, rule, make]] of TAMPERED.entries()) {
      expect(verdicts[i]?.valid, name).toBe(false);
      expect(verdicts[i]?.rules, name).toContain(rule);
      const { results } = await k.ok(
        'received.import',
        { uploads: [upload(name, make())], organizationId: buyerId, locale: 'fr' },
        { locale: 'fr' },
      );
      expect(results[0]?.status).toBe('refused');
      expect(results[0]?.code).toBe('einvoice_rules_failed');
      expect(results[0]?.message).toContain(rule);
      expect(results[0]?.message).toContain('enfreint les règles EN 16931');
    }
    expect(written()).toEqual(before);
  }, 120_000);

  it('hostile and broken files are refused whole, translated, and change nothing', async () => {
    const before = written();
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>`;
    const xxe = ubl()
      .replace('<Invoice ', '<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Invoice ')
      .replace('De Koksmaat', '&xxe;');
    const wrongNs = ubl().replace(
      'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
      'xmlns="urn:example:not-ubl"',
    );
    const wrongCbc = ubl().replace(
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"',
      'xmlns:cbc="urn:example:other"',
    );
    const huge = Buffer.alloc(11 * 1024 * 1024, 0x20);
    huge.write('<?xml version="1.0"?><Invoice>');
    const cases: [string, string | Buffer, string, string][] = [
      ['laughs.xml', laughs, 'einvoice_hostile', 'entités'],
      ['xxe.xml', xxe, 'einvoice_hostile', 'DTD'],
      ['wrong-namespace.xml', wrongNs, 'einvoice_unknown_syntax', 'espaces de noms'],
      // The familiar prefix bound to another namespace: the amounts are not UBL's.
      ['wrong-cbc.xml', wrongCbc, 'einvoice_rules_failed', 'BR-02'],
      [
        'undeclared.xml',
        '<rsm:CrossIndustryInvoice><x/></rsm:CrossIndustryInvoice>',
        'einvoice_malformed',
        'rsm:',
      ],
      ['broken.xml', ubl().slice(0, 5000), 'einvoice_malformed', 'lisible'],
      [
        'latin1.xml',
        Buffer.from(ubl().replace('Koksmaat', 'Köksmaat'), 'latin1'),
        'einvoice_malformed',
        'UTF-8',
      ],
      ['huge.xml', huge, 'einvoice_too_large', '10 MB'],
      ['plain.pdf', fs.readFileSync(await plainPdf()), 'einvoice_pdf_without_xml', 'factur-x.xml'],
      ['not-a-pdf.pdf', Buffer.from('%PDF-1.7\nnothing else'), 'einvoice_malformed', 'PDF'],
      [
        'usd.xml',
        ubl().replaceAll('"EUR"', '"USD"').replace('>EUR<', '>USD<'),
        'einvoice_currency_unsupported',
        'USD',
      ],
    ];
    for (const [name, content, code, words] of cases) {
      const { results } = await k.ok(
        'received.import',
        { uploads: [upload(name, content)], organizationId: buyerId, locale: 'fr' },
        { locale: 'fr' },
      );
      expect([name, results[0]?.status, results[0]?.code]).toEqual([name, 'refused', code]);
      expect(results[0]?.message, name).toContain(words);
    }
    // The passwd file was never read into anything.
    expect(JSON.stringify(await k.ok('received.list', {}))).not.toContain('root:');
    expect(written()).toEqual(before);
  });

  it('without a chosen organization, the buyer is found by its identifiers, or the person is asked', async () => {
    const { results } = await k.ok(
      'received.import',
      {
        uploads: [upload('again.xml', ubl().replace('<cbc:ID>12115118<', '<cbc:ID>12115119<'))],
        locale: 'de',
      },
      { locale: 'de' },
    );
    expect(results[0]?.code).toBe('received_no_organization');
    expect(results[0]?.message).toContain('Wählen Sie die Organisation');
  });

  it('is marked paid, listed by status and exported through the CSV profiles and as XLSX', async () => {
    const page = await k.ok('received.list', { status: 'open' });
    const id = page.rows[0]?.id as string;
    await k.ok('received.markPaid', { id, paidOn: '2026-03-14' });
    expect((await k.ok('received.list', { status: 'open' })).rows).toHaveLength(0);
    expect((await k.ok('received.list', { status: 'paid', search: 'koksmaat' })).rows).toHaveLength(1);
    const csv = await k.bytes('received.exportFile', { format: 'csv', profile: 'excel-fr', locale: 'fr' });
    const text = csv.bytes.toString('utf8');
    expect(text).toContain('Fournisseur');
    expect(text).toContain('250,33');
    expect(text).toContain('De Koksmaat');
    const xlsx = await k.bytes('received.exportFile', { format: 'xlsx', locale: 'de' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Erhalten');
    const cells = (row: number) =>
      Array.from({ length: sheet?.columnCount ?? 0 }, (_, i) => sheet?.getRow(row).getCell(i + 1));
    expect(cells(1).map((c) => c?.text)).toContain('Lieferant');
    expect(cells(2).map((c) => c?.value)).toContain(250.33);
    await k.fails('received.markPaid', { id: 'nope', paidOn: null }, 'received_not_found');
  });
});

/** A PDF with no attachment: a plain invoice as Kontor prints it without Factur-X. */
async function plainPdf(): Promise<string> {
  const { default: PDFDocument } = await import('pdfkit');
  const file = path.join(space.dir(), 'plain.pdf');
  const doc = new PDFDocument();
  const out = fs.createWriteStream(file);
  doc.pipe(out);
  doc.text('An invoice without its XML');
  doc.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  return file;
}
