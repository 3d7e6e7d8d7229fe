// One received file (a Factur-X PDF, a CII or a UBL file) to its EN 16931 model, or a
// translated refusal naming what is wrong: too large, hostile XML, not well-formed, not an
// invoice (wrong root or namespace), a PDF without invoice XML, the rules it breaks, a
// currency Kontor does not keep books in. Nothing is written here.
import { CURRENCIES } from '#common/enums';
import { fail } from '#common/errors';
import type { RECEIVED_FORMATS } from '#db/schema/index';
import { parseCii } from './parse-cii';
import { parseUbl } from './parse-ubl';
import { pdfInvoiceXml } from './pdf-attachment';
import type { ParsedDocument, ReceivedInvoice } from './received-model';
import { checkRules } from './rules';
import { Breaches } from './values';
import { readXml } from './xml-tree';

export type ReceivedFormat = (typeof RECEIVED_FORMATS)[number];

export interface ReadDocument {
  format: ReceivedFormat;
  invoice: ReceivedInvoice;
  /** The XML as read (for a Factur-X PDF, its embedded file). */
  xml: string;
}

const isPdf = (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46; // %PDF

/** The model of one received file; `file` names it in every message. */
export async function readReceived(bytes: Uint8Array, file: string): Promise<ReadDocument> {
  const pdf = isPdf(bytes);
  const xmlBytes = pdf ? await pdfInvoiceXml(bytes, file) : bytes;
  const { root, node, text } = readXml(xmlBytes, file);
  const out = new Breaches();
  let parsed: ParsedDocument;
  let format: ReceivedFormat;
  if (root === 'rsm:CrossIndustryInvoice') {
    parsed = parseCii(node, out);
    format = pdf ? 'factur-x' : 'cii';
  } else if (root === 'inv:Invoice' || root === 'cn:CreditNote') {
    if (pdf) fail('einvoice_unknown_syntax', { file, root });
    parsed = parseUbl(node, root === 'cn:CreditNote', out);
    format = parsed.specification?.includes('xrechnung') ? 'xrechnung' : 'ubl';
  } else {
    return fail('einvoice_unknown_syntax', { file, root });
  }
  const breaches = checkRules(parsed, out);
  if (breaches.length) fail('einvoice_rules_failed', { file, breaches });
  const currency = parsed.invoice.currency;
  if (!(CURRENCIES as readonly string[]).includes(currency))
    fail('einvoice_currency_unsupported', { file, currency });
  return { format, invoice: parsed.invoice, xml: text };
}
