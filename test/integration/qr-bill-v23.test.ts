// Swiss QR-bill v2.3 (in force since 22 November 2025): every address of the e-invoice test
// book, billed from the Swiss issuer, gives a payment part whose QR code decodes (jsQR) to a
// conformant payload: type S addresses only, street and building number apart, the v2.3
// character set, no optional element made of blanks, the amount and the reference with its
// check digits.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSpsCharacter } from '#core/export/pdf/charset';
import { isValidQrr, isValidScor } from '#common/payment-reference';
import { buildEinvoiceBook, type EinvoiceBook } from '../helpers/einvoice-book';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-qr-v23-');
let k: TestKontor;
let book: EinvoiceBook;
beforeAll(async () => {
  k = space.kontor();
  book = await buildEinvoiceBook(k);
}, 120_000);

function decodeQr(file: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  const prefix = file.replace(/\.pdf$/, '-qr');
  const top = Math.floor(((297 - 105) / 25.4) * 200);
  execFileSync('pdftoppm', [
    '-r',
    '200',
    '-png',
    '-f',
    String(pages),
    '-l',
    String(pages),
    '-y',
    String(top),
    '-H',
    String(Math.ceil((105 / 25.4) * 200)),
    '-W',
    '1654',
    '-singlefile',
    file,
    prefix,
  ]);
  const png = PNG.sync.read(fs.readFileSync(`${prefix}.png`));
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  if (!code) throw new Error(`no QR code in ${file}`);
  return new TextDecoder('utf-8').decode(Uint8Array.from(code.binaryData)).split(/\r?\n/);
}

/** The payload's address block at `at` (7 elements): type S, name, street, number, postal code, town, country. */
function expectAddress(payload: string[], at: number, where: string): void {
  const [type, name, street, number, zip, town, country] = payload.slice(at, at + 7);
  expect(type, where).toBe('S');
  expect(name?.length, where).toBeGreaterThan(0);
  expect([...(name ?? '')].length, where).toBeLessThanOrEqual(70);
  expect(zip?.length, where).toBeGreaterThan(0);
  expect(town?.length, where).toBeGreaterThan(0);
  expect(country, where).toMatch(/^[A-Z]{2}$/);
  expect([...(street ?? '')].length, where).toBeLessThanOrEqual(70);
  expect([...(number ?? '')].length, where).toBeLessThanOrEqual(16);
}

describe('QR-bill v2.3', () => {
  it('every address of the book decodes to a conformant payload', async () => {
    const chIssuer = book.organizations[0] as string;
    const dir = path.join(space.dir(), 'qr');
    fs.mkdirSync(dir, { recursive: true });
    let checked = 0;
    for (const organizationId of book.organizations.slice(1)) {
      const draft = await k.ok('invoices.create', {
        organizationId,
        issuerOrganizationId: chIssuer,
        lines: [{ description: 'Hébergement', quantityMilli: 1000, unitPriceMinor: 12_345, discountBp: 0 }],
      });
      const issued = await k.ok('invoices.issue', { id: draft.id });
      const pdf = await k.bytes('invoices.pdf', { id: issued.id });
      const file = path.join(dir, `${issued.id}.pdf`);
      fs.writeFileSync(file, pdf.bytes);
      const payload = decodeQr(file);
      const where = `${issued.organizationName} (${issued.number})`;
      expect(payload.slice(0, 3), where).toEqual(['SPC', '0200', '1']);
      expect(payload[3], where).toMatch(/^(CH|LI)\d{19}$/);
      expectAddress(payload, 4, `${where} creditor`);
      // Street and building number in their own elements, as stored.
      expect(payload.slice(6, 8), where).toEqual(['Rue Eugène-Marziano', '25']);
      // Ultimate creditor: reserved, all seven elements empty (nothing but empty strings).
      expect(payload.slice(11, 18), where).toEqual(['', '', '', '', '', '', '']);
      expect(payload[18], where).toBe((issued.grossMinor / 100).toFixed(2));
      expect(payload[19], where).toBe(issued.currency);
      expectAddress(payload, 20, `${where} debtor`);
      const [refType, ref] = [payload[27], payload[28] ?? ''];
      if (refType === 'QRR') expect(isValidQrr(ref), where).toBe(true);
      else if (refType === 'SCOR') expect(isValidScor(ref), where).toBe(true);
      else expect([refType, ref], where).toEqual(['NON', '']);
      expect(payload[30], where).toBe('EPD');
      for (const element of payload) {
        // No optional element made of blanks, every character in the v2.3 set.
        expect(element === '' || element.trim() !== '', where).toBe(true);
        for (const ch of element)
          expect(isSpsCharacter(ch.codePointAt(0) as number), `${where}: ${ch}`).toBe(true);
      }
      checked++;
    }
    expect(checked).toBe(book.organizations.length - 1);
  }, 300_000);
});
