// Factur-X PDFs as a reader and an archive see them: one factur-x.xml attachment equal to the
// CII e-invoice, a clean structure (qpdf), every font embedded (pdffonts), PDF/A-3b and the
// Factur-X fields in the XMP, and the same amounts in the XML, the store and the PDF's text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEinvoiceBook, type EinvoiceBook } from '../helpers/einvoice-book';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-factur-x-');
let k: TestKontor;
let book: EinvoiceBook;
beforeAll(async () => {
  k = space.kontor();
  book = await buildEinvoiceBook(k);
}, 120_000);

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** "1234.50" → the way the PDF prints it in any locale: digits and the last two decimals. */
function printedDigits(decimal: string): string {
  return decimal.replace('.', '');
}

describe('Factur-X', () => {
  it('each PDF carries exactly one factur-x.xml, equal to the CII, and is a clean PDF/A-3b with embedded fonts', async () => {
    const dir = path.join(space.dir(), 'fx');
    fs.mkdirSync(dir, { recursive: true });
    for (const id of book.documents) {
      const pdf = await k.bytes('invoices.einvoice', { id, format: 'factur-x' });
      const cii = await k.bytes('invoices.einvoice', { id, format: 'cii' });
      const file = path.join(dir, `${id}.pdf`);
      fs.writeFileSync(file, pdf.bytes);
      const xml = cii.bytes.toString('utf8');

      const list = run('pdfdetach', ['-list', file]);
      expect(list).toMatch(/^1 embedded files/m);
      expect(list).toContain('factur-x.xml');
      const out = path.join(dir, `${id}-attachments`);
      fs.mkdirSync(out);
      run('pdfdetach', ['-saveall', '-o', out, file]);
      expect(fs.readdirSync(out)).toEqual(['factur-x.xml']);
      expect(fs.readFileSync(path.join(out, 'factur-x.xml'), 'utf8')).toBe(xml);

      expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');

      const fonts = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThan(0);
      for (const row of fonts) expect(row.split(/\s+/).at(-5), row).toBe('yes');

      const raw = fs.readFileSync(file).toString('latin1');
      expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
      expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
      expect(raw).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
      expect(raw).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
      expect(raw).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>');
      expect(raw).toContain('<fx:Version>1.0</fx:Version>');
      expect(raw).toMatch(/\/AFRelationship \/Alternative/);
      expect(raw).toMatch(/\/OutputIntents/);

      // Amounts: XML = store = the PDF's text.
      const stored = await k.ok('invoices.get', { id });
      const grand = /<ram:GrandTotalAmount>([^<]+)</.exec(xml)?.[1] as string;
      const tax = /<ram:TaxTotalAmount[^>]*>([^<]+)</.exec(xml)?.[1] as string;
      const net = /<ram:TaxBasisTotalAmount>([^<]+)</.exec(xml)?.[1] as string;
      expect([net, tax, grand].map((a) => Math.round(Number(a) * 100))).toEqual([
        stored.netMinor,
        stored.vatMinor,
        stored.grossMinor,
      ]);
      // The PDF groups thousands and uses the document's decimal mark: compare the digits of
      // each printed line (a grouped amount never spans two lines).
      const lines = run('pdftotext', ['-layout', file, '-'])
        .split('\n')
        .map((line) => line.replace(/[^0-9]/g, ''));
      for (const a of [net, tax, grand]) {
        expect(
          lines.some((line) => line.includes(printedDigits(a))),
          `${a} in the PDF text`,
        ).toBe(true);
      }
    }
  }, 300_000);

  it("kontor einvoice writes the same: the PDF's factur-x.xml is byte for byte `--format cii`", async () => {
    const dir = path.join(space.dir(), 'cli');
    fs.mkdirSync(dir, { recursive: true });
    const first = await k.ok('invoices.get', { id: book.documents[0] as string });
    const cli = (args: string[]) =>
      execFileSync(
        process.execPath,
        [path.join(process.cwd(), 'bin', 'kontor.js'), '--db', k.file, ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, KONTOR_DB: '' },
        },
      );
    const pdf = path.join(dir, 'f.pdf');
    const xml = path.join(dir, 'f.xml');
    cli(['einvoice', first.number as string, '--format', 'factur-x', '--out', pdf]);
    cli(['einvoice', first.number as string, '--format', 'cii', '--out', xml]);
    const out = path.join(dir, 'attachments');
    fs.mkdirSync(out);
    run('pdfdetach', ['-saveall', '-o', out, pdf]);
    expect(fs.readdirSync(out)).toEqual(['factur-x.xml']);
    expect(fs.readFileSync(path.join(out, 'factur-x.xml'))).toEqual(fs.readFileSync(xml));
  }, 120_000);
});
