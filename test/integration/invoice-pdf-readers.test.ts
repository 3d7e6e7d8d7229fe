// Invoice PDFs read back by real readers: pdftotext (poppler) for the text a person sees,
// qpdf --check for the file structure, pdftoppm + jsQR for the Swiss QR-bill's QR code.
// The tools are required (CI installs poppler-utils and qpdf): a missing tool fails the test.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeQrBill, pdfPages, pdfText } from '../helpers/pdf-read';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InvoiceDocument } from '#core/export/invoice-document';
import { documentFormatter, minorToDecimalString } from '#core/export/pdf/format';
import {
  invoicePdfBuffer,
  renderInvoicePdf,
  renderInvoicesToFiles,
  renderInvoicesToSinglePdf,
} from '#core/export/pdf/invoice-pdf';
import {
  compactIdentifier,
  formatPaymentReference,
  qrrReference,
  scorReference,
} from '#common/payment-reference';
import {
  party,
  SAMPLE_ISSUER_CH,
  SAMPLE_ISSUER_CH_IBAN,
  SAMPLE_ISSUER_EU,
  sampleInvoice,
  sampleLine,
  withTotals,
} from '../helpers/sample-documents';

const TOOLS = {
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdfimages: 'poppler-utils',
  qpdf: 'qpdf',
} as const;

function requireTools(): void {
  const missing = Object.entries(TOOLS).filter(([tool]) => spawnSync(tool, ['-v']).error !== undefined);
  if (missing.length) {
    const packages = [...new Set(missing.map(([, p]) => p))].join(' ');
    throw new Error(
      `Missing ${missing.map(([t]) => t).join(', ')}: these tests read the PDFs with real tools. Install them: apt-get install -y ${packages}`,
    );
  }
}

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-invoice-pdf-'));
});
// Checked for each test, so that a missing tool counts as failed tests, not skipped ones.
beforeEach(() => requireTools());
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function write(name: string, doc: InvoiceDocument): Promise<string> {
  const file = path.join(dir, `${name}.pdf`);
  await renderInvoicePdf(doc, fs.createWriteStream(file));
  return file;
}

function qpdfCheck(file: string): void {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/No syntax or stream encoding errors/);
}

/** The money string as the document's locale writes it (no-break spaces as spaces). */
function money(doc: InvoiceDocument, minor: number): string {
  return documentFormatter(doc.locale, doc.currency)
    .money(minor)
    .replace(/[\u00a0\u202f]/g, ' ');
}

const QR_IBAN = SAMPLE_ISSUER_CH.iban as string;
const zoe = party('Zoë Müller-Lüdenscheidt', 'Bahnhofstrasse 7', '8001', 'Zürich', 'CH', 'Schweiz');
const lukasz = party('Łukasz Żółć', 'ul. Świętokrzyska 31/33', '00-049', 'Warszawa', 'PL', 'Polska', {
  vatNumber: 'PL5260250274',
});
const orsted = party('Ørsted & Søn ApS', 'Nørregade 14', '1165', 'København K', 'DK', 'Danmark', {
  vatNumber: 'DK13585628',
});
const slask = party('Śląsk Sp. z o.o.', 'ul. Żeromskiego 3', '40-001', 'Katowice', 'PL', 'Polska', {
  vatNumber: 'PL6340197432',
});

describe('invoice PDFs read back by pdftotext, qpdf and a QR decoder', () => {
  it('EN invoice, QR reference: text, structure and the QR-bill payload', async () => {
    const ref = qrrReference('2026000101');
    const doc = sampleInvoice({
      seed: 101,
      locale: 'en',
      lines: 4,
      billTo: zoe,
      paymentReference: { type: 'QRR', value: ref },
    });
    const file = await write('en', doc);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain(`Invoice ${doc.number}`);
    expect(t).toContain('Zoë Müller-Lüdenscheidt');
    expect(t).toContain('Bahnhofstrasse 7');
    expect(t).toContain('8001 Zürich');
    expect(t).toContain('Helvetia Hosting Sàrl');
    expect(t).toContain('UID CHE-123.456.788');
    expect(t).toContain('VAT no. CHE-123.456.788 TVA');
    expect(t).toContain('23.11.2026');
    expect(t).toContain(money(doc, doc.totals.netMinor));
    expect(t).toContain(money(doc, doc.totals.vatMinor));
    expect(t).toContain(money(doc, doc.totals.grossMinor));
    expect(money(doc, doc.totals.grossMinor)).toMatch(/^CHF \d{1,3}(['’]\d{3})*\.\d{2}$/);
    expect(t).toContain('Payment part');
    expect(t).toContain('Receipt');
    expect(t).toContain(formatPaymentReference('QRR', ref));

    const qr = decodeQrBill(file);
    expect(qr.slice(0, 3)).toEqual(['SPC', '0200', '1']);
    expect(qr[3]).toBe(compactIdentifier(QR_IBAN));
    expect(qr[4]).toBe('S');
    expect(qr[5]).toBe('Helvetia Hosting Sàrl');
    expect(qr[6]).toBe('Rue du Lac 12');
    expect(qr[8]).toBe('1003');
    expect(qr[9]).toBe('Lausanne');
    expect(qr[10]).toBe('CH');
    expect(qr[18]).toBe(minorToDecimalString(doc.totals.dueMinor));
    expect(qr[19]).toBe('CHF');
    expect(qr[21]).toBe('Zoë Müller-Lüdenscheidt');
    expect(qr[27]).toBe('QRR');
    expect(qr[28]).toBe(ref);
    expect(qr[29]).toBe(`Invoice ${doc.number}`);
    expect(qr[30]).toBe('EPD');
    // The payment part fits under a short invoice.
    expect(pdfPages(file)).toBe(1);
  });

  it('FR invoice, creditor reference, Polish debtor kept exactly in text and QR code', async () => {
    const ref = scorReference('F2026000102');
    const doc = sampleInvoice({
      seed: 102,
      locale: 'fr',
      lines: 3,
      billTo: lukasz,
      issuer: { ...SAMPLE_ISSUER_CH, iban: SAMPLE_ISSUER_CH_IBAN },
      paymentReference: { type: 'SCOR', value: ref },
    });
    const file = await write('fr', doc);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain(`Facture ${doc.number}`);
    expect(t).toContain('Łukasz Żółć');
    expect(t).toContain('ul. Świętokrzyska 31/33');
    expect(t).toContain('00-049 Warszawa');
    expect(t).toContain('Votre n° TVA');
    expect(t).toContain('PL5260250274');
    expect(t).toContain('IDE CHE-123.456.788');
    expect(t).toContain(money(doc, doc.totals.grossMinor));
    expect(money(doc, doc.totals.grossMinor)).toMatch(/ CHF$/);
    expect(t).toContain('Section paiement');
    expect(t).toContain('Récépissé');

    const qr = decodeQrBill(file);
    expect(qr[3]).toBe('CH9300762011623852957');
    expect(qr[18]).toBe(minorToDecimalString(doc.totals.dueMinor));
    expect(qr[21]).toBe('Łukasz Żółć');
    expect(qr[22]).toBe('ul. Świętokrzyska 31/33');
    expect(qr[24]).toBe('00-049');
    expect(qr[25]).toBe('Warszawa');
    expect(qr[26]).toBe('PL');
    expect(qr[27]).toBe('SCOR');
    expect(qr[28]).toBe(ref);
    expect(qr[29]).toBe(`Facture ${doc.number}`);
  });

  it('DE invoice in EUR with a Swiss IBAN and no reference', async () => {
    const doc = sampleInvoice({
      seed: 103,
      locale: 'de',
      lines: 3,
      currency: 'EUR',
      billTo: orsted,
      issuer: { ...SAMPLE_ISSUER_CH, iban: SAMPLE_ISSUER_CH_IBAN },
      paymentReference: { type: 'NON', value: null },
    });
    const file = await write('de', doc);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain(`Rechnung ${doc.number}`);
    expect(t).toContain('Ørsted & Søn ApS');
    expect(t).toContain('1165 København K');
    expect(t).toContain('Ihre USt-IdNr.');
    expect(t).toContain('DK13585628');
    expect(t).toContain(money(doc, doc.totals.grossMinor));
    expect(money(doc, doc.totals.grossMinor)).toMatch(/^[\d.]+,\d{2} €$/);
    expect(t).toContain('Zahlteil');
    const qr = decodeQrBill(file);
    expect(qr[19]).toBe('EUR');
    expect(qr[18]).toBe(minorToDecimalString(doc.totals.dueMinor));
    expect(qr[21]).toBe('Ørsted & Søn ApS');
    expect(qr[27]).toBe('NON');
    expect(qr[28]).toBe('');
  });

  it('pro forma: the no-legal-value mention, and a payment part (a request for payment)', async () => {
    const doc = sampleInvoice({
      seed: 104,
      locale: 'en',
      kind: 'pro_forma',
      number: 'PF-2026-0104',
      lines: 3,
      billTo: zoe,
    });
    const file = await write('pro-forma', doc);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain('Pro forma invoice PF-2026-0104');
    expect(t).toContain('this document has no legal or fiscal value');
    expect(decodeQrBill(file)[29]).toBe('Pro forma PF-2026-0104');
  });

  it('credit note: corrects an invoice, no payment part', async () => {
    const doc = sampleInvoice({
      seed: 105,
      locale: 'de',
      kind: 'credit_note',
      number: 'GS-2026-0105',
      correctsNumber: 'INV-2026-000101',
      lines: 2,
      billTo: zoe,
    });
    const file = await write('credit-note', doc);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain('Gutschrift GS-2026-0105');
    expect(t).toContain('Korrigiert Rechnung INV-2026-000101');
    expect(t).toContain(money(doc, doc.totals.grossMinor));
    expect(t).not.toContain('Zahlteil');
    expect(t).not.toContain('Empfangsschein');
  });

  it('reverse charge: the Art. 196 mention and both VAT numbers', async () => {
    const doc = sampleInvoice({
      seed: 106,
      locale: 'en',
      currency: 'EUR',
      reverseCharge: true,
      billTo: slask,
      lines: 4,
    });
    expect(doc.issuer.iban).toBe(SAMPLE_ISSUER_EU.iban);
    const file = await write('reverse-charge', doc);
    qpdfCheck(file);
    const t = pdfText(file).replace(/\s+/g, ' ');
    expect(t).toContain('Śląsk Sp. z o.o.');
    expect(t).toContain('ul. Żeromskiego 3');
    expect(t).toContain('40-001 Katowice');
    expect(t).toContain('VAT no. DE136695976');
    expect(t).toContain('Your VAT no. PL6340197432');
    expect(t).toContain('Reverse charge');
    expect(t).toContain('Article 196 of Council Directive 2006/112/EC');
    expect(t).toContain(money(doc, doc.totals.grossMinor).replace(/\s+/g, ' '));
    expect(t).toContain('IBAN DE89 3704 0044 0532 0130 00');
    // A German IBAN: no Swiss payment part.
    expect(t).not.toContain('Payment part');

    const fr = await write('reverse-charge-fr', { ...doc, locale: 'fr' });
    expect(pdfText(fr).replace(/\s+/g, ' ')).toContain('article 196 de la directive 2006/112/CE');
    const de = await write('reverse-charge-de', { ...doc, locale: 'de' });
    expect(pdfText(de).replace(/\s+/g, ' ')).toContain('Art. 196 der Richtlinie 2006/112/EG');
  });

  it('60 lines: several pages, page numbers, repeated table header, totals at the end, QR-bill last', async () => {
    const doc = sampleInvoice({ seed: 107, locale: 'en', lines: 60, billTo: lukasz });
    const file = await write('multi-page', doc);
    qpdfCheck(file);
    const n = pdfPages(file);
    expect(n).toBeGreaterThanOrEqual(3);
    const perPage = pdfText(file)
      .split('\f')
      .filter((p) => p.trim());
    expect(perPage).toHaveLength(n);
    perPage.forEach((p, i) => {
      expect(p, `page ${i + 1}`).toContain(`Page ${i + 1} / ${n}`);
    });
    // Every page that holds lines starts them under the column headers.
    const withLines = perPage.filter((p) => /^\s*\d+\. /m.test(p));
    expect(withLines.length).toBeGreaterThanOrEqual(2);
    for (const p of withLines) expect(p).toMatch(/Description\s+Qty\s+Unit price/);
    const all = perPage.join('\n');
    for (let i = 1; i <= 60; i++) expect(all).toMatch(new RegExp(`^\\s*${i}\\. `, 'm'));
    expect(all.indexOf(' 60. ')).toBeLessThan(all.indexOf('Total excl. VAT'));
    expect(all).toContain(money(doc, doc.totals.grossMinor));
    expect(perPage.at(-1) as string).toContain('Payment part');
    expect(decodeQrBill(file)[18]).toBe(minorToDecimalString(doc.totals.dueMinor));
  });

  it('draft: DRAFT watermark, no number; partial payment shows paid and amount due', async () => {
    const draft = sampleInvoice({
      seed: 108,
      locale: 'en',
      number: null,
      lines: 3,
      billTo: zoe,
      paidMinor: 10_000,
    });
    const file = await write('draft', draft);
    qpdfCheck(file);
    const t = pdfText(file);
    expect(t).toContain('DRAFT');
    expect(t).toContain('Invoice (draft)');
    expect(t).toContain('Paid');
    expect(t).toContain(money(draft, 10_000));
    expect(t).toContain('Amount due');
    expect(t).toContain(money(draft, draft.totals.dueMinor));
    const qr = decodeQrBill(file);
    expect(qr[18]).toBe(minorToDecimalString(draft.totals.dueMinor));
    const fr = await write('draft-fr', { ...draft, locale: 'fr' });
    expect(pdfText(fr)).toContain('BROUILLON');
    const issued = pdfText(await write('issued', { ...draft, number: 'INV-2026-000108' }));
    expect(issued).not.toContain('DRAFT');
  });

  it('texts longer than a page are cut, never spill onto pages the layout does not number', async () => {
    const notes = Array.from({ length: 150 }, (_, i) => `Note line ${i + 1}.`).join('\n');
    const base = sampleInvoice({ seed: 110, lines: 3, billTo: zoe, notes });
    const hugeLine = sampleLine({
      description: Array.from({ length: 120 }, (_, i) => `Detail ${i + 1}`).join('\n'),
      quantityMilli: 1000,
      unitPriceMinor: 100,
      vatRateBp: 810,
    });
    const file = await write('long-texts', withTotals({ ...base, lines: [...base.lines, hugeLine] }));
    qpdfCheck(file);
    const n = pdfPages(file);
    const perPage = pdfText(file)
      .split('\f')
      .filter((p) => p.trim());
    expect(perPage).toHaveLength(n);
    perPage.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} / ${n}`);
    });
    const all = perPage.join('\n');
    expect(all).toContain('Detail 1');
    expect(all).toContain('Note line 1.');
    expect(all).toContain('…');
    expect(all).not.toContain('Note line 150.');
    expect(perPage.at(-1)).toContain('Payment part');
  });

  it('a logo given as a data URL replaces the initials', async () => {
    // A 2 × 2 red PNG.
    const logo =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';
    const doc = sampleInvoice({ seed: 109, lines: 2, billTo: zoe });
    const withLogo = await write('logo', { ...doc, issuer: { ...doc.issuer, logo } });
    qpdfCheck(withLogo);
    expect(execFileSync('pdfimages', ['-list', withLogo], { encoding: 'utf8' })).toMatch(
      /image\s+2\s+2\s+rgb/,
    );
    expect(pdfText(withLogo)).not.toMatch(/^\s*HH\s*$/m);
    // A broken logo falls back to the initials.
    const broken = await write('logo-broken', {
      ...doc,
      issuer: { ...doc.issuer, logo: 'data:image/png;base64,AAAA' },
    });
    qpdfCheck(broken);
    expect(pdfText(broken)).toMatch(/^\s*HH\b/m);
  });

  it('bulk: separate files and one combined document', async () => {
    const docs = [101, 102, 103, 104].map((seed) =>
      sampleInvoice({ seed, lines: 5, locale: (['en', 'fr', 'de'] as const)[seed % 3] }),
    );
    const out = path.join(dir, 'bulk');
    const result = await renderInvoicesToFiles(docs, out, (d) => `${d.number}.pdf`);
    expect(result.files.map((f) => path.basename(f))).toEqual(docs.map((d) => `${d.number}.pdf`));
    for (const f of result.files) qpdfCheck(f);
    await expect(renderInvoicesToFiles(docs, out, () => '../escape.pdf')).rejects.toThrow(/bare file name/);

    const combined = path.join(dir, 'combined.pdf');
    const summary = await renderInvoicesToSinglePdf(docs, fs.createWriteStream(combined));
    qpdfCheck(combined);
    expect(summary.documents).toBe(4);
    expect(pdfPages(combined)).toBe(summary.pages);
    const t = pdfText(combined);
    for (const d of docs) expect(t).toContain(d.number as string);

    const buffer = await invoicePdfBuffer(docs[0] as InvoiceDocument);
    expect(buffer.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
