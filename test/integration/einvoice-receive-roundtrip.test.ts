// Receiving is the mirror of issuing: every document Kontor generates (the whole e-invoice test
// book, every syntax: Factur-X PDF, CII, UBL Peppol, XRechnung) reads back as exactly the EN
// 16931 model it was written from, and imports as a received document of its buyer with those
// totals; the same document in another syntax is recognized as already there.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '#db/schema/index';
import { readReceived } from '#core/import/einvoice/read';
import { einvoiceModel } from '#core/services/einvoices.service';
import { buildEinvoiceBook, type EinvoiceBook } from '../helpers/einvoice-book';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-einvoice-receive-');
let k: TestKontor;
let book: EinvoiceBook;
beforeAll(async () => {
  k = space.kontor();
  book = await buildEinvoiceBook(k);
}, 180_000);

const FORMATS = ['factur-x', 'cii', 'ubl', 'xrechnung'] as const;

describe('receiving what Kontor issues', () => {
  it('every document of the book, in every syntax, reads back equal to its source model', async () => {
    const ctx = k.kontor.ctx();
    let compared = 0;
    for (const id of book.documents) {
      const invoice = ctx.db.select().from(invoices).where(eq(invoices.id, id)).get();
      if (!invoice) throw new Error(`no invoice ${id}`);
      const source = einvoiceModel(ctx, invoice);
      for (const format of FORMATS) {
        const file = await k.bytes('invoices.einvoice', { id, format });
        const read = await readReceived(file.bytes, file.fileName);
        expect(read.format).toBe(format);
        expect(read.invoice, `${invoice.number} as ${format}`).toEqual(source);
        compared++;
      }
    }
    // The book's every kind: 1 and 200 lines, credit notes, reverse charge, intra-EU, export.
    expect(compared).toBe(book.documents.length * FORMATS.length);
    expect(book.documents.length).toBeGreaterThan(10);
  }, 300_000);

  it('imports each into its buyer with the store’s totals; another syntax of it is a duplicate', async () => {
    const ctx = k.kontor.ctx();
    for (const id of book.documents) {
      const invoice = ctx.db.select().from(invoices).where(eq(invoices.id, id)).get();
      if (!invoice) throw new Error(`no invoice ${id}`);
      const files = [];
      for (const format of ['factur-x', 'ubl'] as const) {
        const file = await k.bytes('invoices.einvoice', { id, format });
        files.push({ name: file.fileName, contentBase64: file.bytes.toString('base64') });
      }
      const { results } = await k.ok('received.import', {
        uploads: files,
        organizationId: invoice.organizationId,
      });
      expect(results.map((r) => r.status)).toEqual(['imported', 'duplicate']);
      expect(results[1]?.message).toContain(invoice.number as string);
      const received = await k.ok('received.get', { id: results[0]?.id as string });
      // What the store keeps is the model itself, as read.
      expect(received.model).toEqual(einvoiceModel(ctx, invoice));
      expect(received.format).toBe('factur-x');
      expect(received.number).toBe(invoice.number);
      expect(received.creditNote).toBe(invoice.kind === 'credit_note');
      expect([received.netMinor, received.vatMinor, received.grossMinor]).toEqual([
        invoice.netMinor,
        invoice.vatMinor,
        invoice.grossMinor,
      ]);
      // The original file comes back byte for byte, and its XML beside it.
      const original = await k.bytes('received.file', { id: received.id, part: 'original' });
      expect(original.mime).toBe('application/pdf');
      const xml = await k.bytes('received.file', { id: received.id, part: 'xml' });
      expect(xml.bytes.toString('utf8')).toContain('CrossIndustryInvoice');
    }
    expect(count(k.raw, 'received_documents')).toBe(book.documents.length);
  }, 300_000);
});
