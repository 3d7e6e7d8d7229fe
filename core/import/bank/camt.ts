// ISO 20022 bank-to-customer messages (issue 12): camt.053 (statement) and camt.054 (debit/credit
// notification, what Swiss banks send for QR-bill payments), in the versions the Swiss Payment
// Standards use (.001.04 and .001.08). Read with saxes (./camt-tree.ts), safely: size first, no
// DTD or entity at all, well-formed, the message and version by the document's namespace URI, then the
// structure this reader needs (a broken file is refused whole, with what and where).
// One credit is one transaction detail (TxDtls) of a booked credit entry; an entry without
// details is one credit of the entry's amount. Debits and entries not booked are skipped.
import { CURRENCIES } from '#common/enums';
import { fail } from '#common/errors';
import { parseAmount } from '#common/money';
import type { Currency } from '#db/schema/index';
import { XmlTreeError, xmlTree } from './camt-tree';

export const MAX_STATEMENT_BYTES = 50 * 1024 * 1024;

const MESSAGES: Record<string, { kind: 'camt.053' | 'camt.054'; root: string; report: string }> = {
  'urn:iso:std:iso:20022:tech:xsd:camt.053.001.04': {
    kind: 'camt.053',
    root: 'BkToCstmrStmt',
    report: 'Stmt',
  },
  'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08': {
    kind: 'camt.053',
    root: 'BkToCstmrStmt',
    report: 'Stmt',
  },
  'urn:iso:std:iso:20022:tech:xsd:camt.054.001.04': {
    kind: 'camt.054',
    root: 'BkToCstmrDbtCdtNtfctn',
    report: 'Ntfctn',
  },
  'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08': {
    kind: 'camt.054',
    root: 'BkToCstmrDbtCdtNtfctn',
    report: 'Ntfctn',
  },
};

export interface StatementCredit {
  /** What makes this credit the same one in any later import: the bank's reference. */
  entryRef: string;
  accountIban: string | null;
  amountMinor: number;
  /** As the bank wrote it: a currency Kontor keeps no account in is never matched. */
  currency: string;
  bookedOn: string;
  valueOn: string;
  /** A structured creditor reference: QRR (27 digits) or SCOR (ISO 11649, RF…). */
  reference: string | null;
  referenceType: 'QRR' | 'SCOR' | null;
  /** Unstructured remittance text (where an invoice number may stand). */
  text: string | null;
  debtorName: string | null;
}

export interface Statement {
  message: string;
  kind: 'camt.053' | 'camt.054';
  messageId: string;
  credits: StatementCredit[];
  /** Debits and entries not booked: shown, never matched. */
  skipped: number;
}

type Node = Record<string, unknown>;
/** The elements a message may repeat: always read as lists, one or many. */
const REPEATED = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

const list = (v: unknown): Node[] =>
  Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : [];
const child = (n: unknown, ...path: string[]): unknown => {
  let cur: unknown = n;
  for (const p of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Node)[p];
  }
  return Array.isArray(cur) ? cur[0] : cur;
};
const text = (n: unknown, ...path: string[]): string | null => {
  const v = child(n, ...path);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Node)['#text'] === 'string')
    return (v as Node)['#text'] as string;
  return null;
};

function amountOf(node: unknown, file: string, where: string): { amountMinor: number; currency: string } {
  const value = text(node);
  const currency = child(node, '@Ccy');
  if (!value || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    return fail('statement_malformed', { file, detail: `${where}: an amount without its currency` });
  // Minor units of the currencies Kontor keeps accounts in; another currency counts in cents.
  const known = (CURRENCIES as readonly string[]).includes(currency) ? (currency as Currency) : 'EUR';
  const minor = /^\d{1,15}(\.\d{1,2})?$/.test(value) ? parseAmount(value, known) : null;
  if (minor === null || minor <= 0)
    return fail('statement_malformed', { file, detail: `${where}: amount ${value}` });
  return { amountMinor: minor, currency };
}

const dateOf = (n: unknown, ...path: string[]) => {
  const d = text(n, ...path, 'Dt') ?? text(n, ...path, 'DtTm');
  return d ? d.slice(0, 10) : null;
};

export function readStatement(bytes: Uint8Array, file: string): Statement {
  if (bytes.byteLength > MAX_STATEMENT_BYTES)
    fail('statement_too_large', { file, max: `${MAX_STATEMENT_BYTES / 1024 / 1024} MB` });
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return fail('statement_malformed', { file, detail: 'not UTF-8' });
  }
  // A bank message never has a DTD: one is how entity expansion and external entities get in.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail('statement_hostile', { file });
  let tree: Node;
  try {
    tree = xmlTree(xml, REPEATED);
  } catch (error) {
    if (!(error instanceof XmlTreeError)) throw error;
    return fail('statement_malformed', { file, detail: `line ${error.message}` });
  }
  const doc = tree.Document as Node | undefined;
  const ns = doc && typeof doc['@xmlns'] === 'string' ? (doc['@xmlns'] as string) : '';
  const message = MESSAGES[ns];
  if (!doc || !message) fail('statement_unknown', { file, namespace: ns || '—' });
  const body = doc[message.root] as Node | undefined;
  if (!body) fail('statement_malformed', { file, detail: `no ${message.root}` });
  const messageId = text(body, 'GrpHdr', 'MsgId');
  if (!messageId) fail('statement_malformed', { file, detail: 'no GrpHdr/MsgId' });
  const credits: StatementCredit[] = [];
  let skipped = 0;
  const reports = list(body[message.report]);
  if (reports.length === 0) fail('statement_malformed', { file, detail: `no ${message.report}` });
  reports.forEach((report, r) => {
    const iban = text(report, 'Acct', 'Id', 'IBAN');
    list(report.Ntry).forEach((entry, e) => {
      const where = `${message.report}[${r + 1}]/Ntry[${e + 1}]`;
      const indicator = text(entry, 'CdtDbtInd');
      const status = text(entry, 'Sts') ?? text(entry, 'Sts', 'Cd');
      const entryAmount = amountOf(child(entry, 'Amt'), file, where);
      if (indicator !== 'CRDT' && indicator !== 'DBIT')
        fail('statement_malformed', { file, detail: `${where}: CdtDbtInd` });
      if (indicator !== 'CRDT' || status !== 'BOOK' || text(entry, 'RvslInd') === 'true') {
        skipped++;
        return;
      }
      const bookedOn = dateOf(entry, 'BookgDt');
      const valueOn = dateOf(entry, 'ValDt') ?? bookedOn;
      if (!bookedOn || !valueOn) fail('statement_malformed', { file, detail: `${where}: no booking date` });
      const entryRef = text(entry, 'AcctSvcrRef') ?? text(entry, 'NtryRef');
      const details = list(entry.NtryDtls).flatMap((d) => list(d.TxDtls));
      const rows = details.length ? details : [entry];
      rows.forEach((tx, t) => {
        const amount = details.length
          ? amountOf(
              child(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? child(tx, 'Amt') ?? child(entry, 'Amt'),
              file,
              `${where}/TxDtls[${t + 1}]`,
            )
          : entryAmount;
        const ref = text(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref');
        const refType =
          text(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Prtry') ??
          text(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Tp', 'CdOrPrtry', 'Cd');
        const own = text(tx, 'Refs', 'AcctSvcrRef') ?? text(tx, 'Refs', 'EndToEndId');
        const ustrd = list((child(tx, 'RmtInf') as Node | undefined)?.Ustrd as unknown)
          .concat([])
          .map((u) => String(u))
          .join(' ');
        const reference = ref ? ref.replace(/\s+/g, '').toUpperCase() : null;
        const entryKey = entryRef ?? `${messageId}:${r + 1}:${e + 1}`;
        credits.push({
          // The entry's bank reference; a batch booking's credits each by their own or position.
          entryRef: rows.length > 1 ? `${entryKey}#${own && own !== entryRef ? own : t + 1}` : entryKey,
          accountIban: iban,
          amountMinor: amount.amountMinor,
          currency: amount.currency,
          bookedOn,
          valueOn,
          reference,
          referenceType: reference
            ? refType === 'QRR' || /^\d{27}$/.test(reference)
              ? 'QRR'
              : reference.startsWith('RF')
                ? 'SCOR'
                : null
            : null,
          text: ustrd || text(entry, 'AddtlNtryInf'),
          debtorName: text(tx, 'RltdPties', 'Dbtr', 'Nm') ?? text(tx, 'RltdPties', 'Dbtr', 'Pty', 'Nm'),
        });
      });
    });
  });
  return { message: ns.split(':').pop() ?? ns, kind: message.kind, messageId, credits, skipped };
}
