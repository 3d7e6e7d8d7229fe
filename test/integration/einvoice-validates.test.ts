// Every kind of document of a generated book passes the official EN 16931 rules in both
// syntaxes (CII and UBL, Peppol BIS 3.0 and XRechnung), validated in one batched run.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEinvoiceBook, type EinvoiceBook } from '../helpers/einvoice-book';
import { validateEn16931 } from '../helpers/en16931';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-einvoice-valid-');
let k: TestKontor;
let book: EinvoiceBook;
beforeAll(async () => {
  k = space.kontor();
  book = await buildEinvoiceBook(k);
}, 120_000);

describe('EN 16931', () => {
  it('every invoice and credit note of the book is valid as CII, UBL and XRechnung', async () => {
    const dir = path.join(space.dir(), 'xml');
    fs.mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    for (const id of book.documents) {
      for (const format of ['cii', 'ubl', 'xrechnung'] as const) {
        const file = await k.bytes('invoices.einvoice', { id, format });
        const out = path.join(dir, `${id}.${format}.xml`);
        fs.writeFileSync(out, file.bytes);
        files.push(out);
      }
    }
    // The oracle can say no: a tampered copy (grand total off by one cent) rides in the same run.
    const tampered = path.join(dir, 'tampered.cii.xml');
    fs.writeFileSync(
      tampered,
      fs
        .readFileSync(files[0] as string, 'utf8')
        .replace(
          /<ram:GrandTotalAmount>(\d+)\.(\d\d)</,
          (_, a, b) => `<ram:GrandTotalAmount>${a}.${String((Number(b) + 1) % 100).padStart(2, '0')}<`,
        ),
    );
    const [bad, ...verdicts] = validateEn16931([tampered, ...files], path.join(space.dir(), 'work'));
    expect(bad?.valid).toBe(false);
    expect(bad?.rules).toContain('BR-CO-15');
    const invalid = verdicts
      .filter((v) => !v.valid)
      .map((v) => `${path.basename(v.file)}: ${v.rules.join(' ')} ${v.messages.join(' | ')}`);
    expect(invalid).toEqual([]);
    expect(verdicts).toHaveLength(book.documents.length * 3);
  }, 300_000);

  it('a pro forma is never an e-invoice', async () => {
    const refused = await k.fails(
      'invoices.einvoice',
      { id: book.proFormaId, format: 'cii' },
      'einvoice_not_available',
      {
        locale: 'fr',
      },
    );
    expect(refused.message).toContain('pro forma');
  });
});
