// Invoice, pro forma and credit note PDFs (A4, pdfkit).
//
// Page layout (DIN 5008 form B, which also fits Swiss left-window envelopes): 25 mm left and
// 20 mm right margins; issuer header at the top; the recipient in the address window (left,
// 45–90 mm from the top) under a one-line return address; the document's number and dates
// beside it; then the title, the lines table (continued on further pages under a repeated
// header), the VAT summary and totals, the legal mentions, notes and payment instructions.
// Every page has a footer with the issuer's identifiers and, when there is more than one page,
// "Page n / N". A draft (number null) carries a diagonal DRAFT watermark on every page. A
// Swiss QR-bill payment part (105 mm) closes the document at the bottom of the last page, or
// of an extra page when the last one is too full (see qr-bill.ts for when).
//
// pdfkit is used with zero page margins and explicit coordinates: page-writer.ts does the
// pagination and pdfkit never breaks a page by itself. This file is the public API: one
// document to a stream or into memory, many to files or into one PDF.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { InvoiceDocument } from '../invoice-document';
import { attachFacturX } from './factur-x';
import { endPdfDocument, newPdfDocument, parsedFonts } from './fonts';
import { documentTitle, InvoiceLayout, isSwiss } from './invoice-layout';
import { documentLabels } from './labels';
import { type PreparedQrBill, prepareQrBill } from './qr-bill';

export interface RenderOptions {
  /** Compress the page content streams (default true): smaller files, a little slower. */
  compress?: boolean;
  /** Factur-X: a PDF/A-3b with this CII XML embedded (factur-x.ts). */
  facturX?: { xml: string };
}

function newInvoicePdf(
  title: string,
  author: string,
  lang: string,
  options: RenderOptions,
): PDFKit.PDFDocument {
  const pdfA = Boolean(options.facturX);
  return newPdfDocument({
    autoFirstPage: false,
    bufferPages: true,
    margin: 0,
    compress: options.compress ?? true,
    lang,
    ...(pdfA ? { subset: 'PDF/A-3b' as const, pdfVersion: '1.7' as const, tagged: false } : {}),
    // pdfkit copies Title and Author into the XMP unescaped: a PDF/A keeps only what is XML-safe.
    info: {
      Title: pdfA ? xmlSafe(title) : title,
      ...(pdfA && xmlSafe(author) !== author ? {} : { Author: author }),
      Creator: 'Kontor',
      Producer: 'Kontor (pdfkit)',
    },
  });
}

function xmlSafe(text: string): string {
  return text.replace(/[<>&"']/g, ' ');
}

function pdfTitle(doc: InvoiceDocument): string {
  return documentTitle(doc, documentLabels(doc.locale, isSwiss(doc.issuer.country)));
}

/** Validates (QR-bill data) and lays out one document into `pdf`. Throws QrBillError before drawing anything. */
function layOut(pdf: PDFKit.PDFDocument, doc: InvoiceDocument): void {
  const qr = prepare(doc);
  new InvoiceLayout(pdf, doc, qr).render();
}

/** Validates first, so an invalid document produces no output at all. */
function prepare(doc: InvoiceDocument): PreparedQrBill | null {
  parsedFonts();
  return prepareQrBill(doc);
}

/**
 * Renders one document as a PDF into `out` and resolves once `out` has finished (or rejects
 * with its error). QrBillError is thrown before anything is written.
 */
export async function renderInvoicePdf(
  doc: InvoiceDocument,
  out: NodeJS.WritableStream,
  options: RenderOptions = {},
): Promise<void> {
  const qr = prepare(doc);
  const pdf = newInvoicePdf(pdfTitle(doc), doc.issuer.name, doc.locale, options);
  const done = pipedTo(pdf, out);
  new InvoiceLayout(pdf, doc, qr).render();
  endPdfDocument(pdf);
  await done;
}

/** Renders one document into memory. */
export function invoicePdfBuffer(doc: InvoiceDocument, options: RenderOptions = {}): Promise<Buffer> {
  try {
    const qr = prepare(doc);
    const pdf = newInvoicePdf(pdfTitle(doc), doc.issuer.name, doc.locale, options);
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
      pdf.once('end', () => resolve(Buffer.concat(chunks)));
      pdf.once('error', reject);
    });
    new InvoiceLayout(pdf, doc, qr).render();
    if (options.facturX) attachFacturX(pdf, options.facturX.xml, doc.issuedOn);
    endPdfDocument(pdf);
    return done;
  } catch (error) {
    return Promise.reject(error);
  }
}

export interface BulkResult {
  files: string[];
  bytes: number;
  seconds: number;
}

/**
 * Renders each document to its own file `dir/nameOf(doc, index)` (a bare file name). Each PDF
 * is built in memory and written with one call while the next one renders (at most four
 * writes in flight). Yields to the event loop between documents; a document that fails
 * validation rejects the whole run (files already written stay).
 */
export async function renderInvoicesToFiles(
  docs: Iterable<InvoiceDocument> | AsyncIterable<InvoiceDocument>,
  dir: string,
  nameOf: (doc: InvoiceDocument, index: number) => string,
  options: RenderOptions = {},
): Promise<BulkResult> {
  const started = performance.now();
  await fs.promises.mkdir(dir, { recursive: true });
  const files: string[] = [];
  const writes = new Set<Promise<void>>();
  let bytes = 0;
  let index = 0;
  for await (const doc of docs) {
    const name = nameOf(doc, index);
    if (!name || path.basename(name) !== name || name === '.' || name === '..') {
      throw new Error(`nameOf must return a bare file name, got "${name}"`);
    }
    const buffer = await invoicePdfBuffer(doc, options);
    // pdfkit's stream events are micro-tasks: without this the loop would never let the
    // event loop (Electron's main process) breathe.
    await nextTurn();
    const file = path.join(dir, name);
    const write: Promise<void> = fs.promises.writeFile(file, buffer).finally(() => writes.delete(write));
    writes.add(write);
    if (writes.size >= 4) await Promise.race(writes);
    files.push(file);
    bytes += buffer.length;
    index++;
  }
  await Promise.all(writes);
  return { files, bytes, seconds: (performance.now() - started) / 1000 };
}

/**
 * Renders many documents into one PDF (to print a batch): each starts on a new page and has
 * its own page numbers. Pages are flushed to `out` after each document, so memory stays flat.
 * A document that fails validation stops the run: the file is closed with the documents
 * before it, and the error is rethrown.
 */
export async function renderInvoicesToSinglePdf(
  docs: Iterable<InvoiceDocument> | AsyncIterable<InvoiceDocument>,
  out: NodeJS.WritableStream,
  options: RenderOptions & { title?: string; locale?: InvoiceDocument['locale'] } = {},
): Promise<{ documents: number; pages: number }> {
  const pdf = newInvoicePdf(options.title ?? 'Kontor', 'Kontor', options.locale ?? 'en', options);
  const done = pipedTo(pdf, out);
  let documents = 0;
  let failure: unknown = null;
  try {
    for await (const doc of docs) {
      layOut(pdf, doc);
      pdf.flushPages();
      documents++;
      await nextTurn();
    }
  } catch (error) {
    // The file is closed properly (what was rendered so far), then the error is rethrown.
    failure = error;
  }
  if (pdf.bufferedPageRange().start + pdf.bufferedPageRange().count === 0)
    pdf.addPage({ size: 'A4', margin: 0 });
  const range = pdf.bufferedPageRange();
  endPdfDocument(pdf);
  await done;
  if (failure) throw failure;
  return { documents, pages: range.start + range.count };
}

/** Pipes `pdf` into `out`; settles once `out` has finished, or with the first error of either. */
function pipedTo(pdf: PDFKit.PDFDocument, out: NodeJS.WritableStream): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    const stream = out as Writable;
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    pdf.once('error', reject);
  });
  pdf.pipe(out);
  return done;
}
