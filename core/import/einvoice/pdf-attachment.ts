// The XML a Factur-X / ZUGFeRD PDF carries as an embedded file, read with Mozilla's PDF.js (the
// browser's own PDF parser, hardened against hostile files): no script runs, no font is
// loaded, nothing is rendered; only the attachments are listed.
import { fail } from '#common/errors';

export const MAX_PDF_BYTES = 50 * 1024 * 1024;

/** The names Factur-X 1.0, ZUGFeRD 2.x and XRechnung-in-PDF give the invoice XML. */
const XML_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml', 'zugferd_invoice.xml'];

export async function pdfInvoiceXml(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes.byteLength > MAX_PDF_BYTES)
    fail('einvoice_too_large', { file, max: `${MAX_PDF_BYTES / 1024 / 1024} MB` });
  // Loaded with the first PDF read: most runs never import one.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({
    // PDF.js may transfer (detach) the buffer it is given: a copy keeps the caller's bytes.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
    verbosity: 0,
  });
  let attachments: Record<string, { filename: string; content: Uint8Array }> | null;
  try {
    const pdf = await task.promise;
    attachments = await pdf.getAttachments();
  } catch (e) {
    return fail('einvoice_malformed', { file, detail: `PDF: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    await task.destroy();
  }
  const found = Object.values(attachments ?? {}).find((a) => XML_NAMES.includes(a.filename.toLowerCase()));
  if (!found) return fail('einvoice_pdf_without_xml', { file });
  return found.content;
}
