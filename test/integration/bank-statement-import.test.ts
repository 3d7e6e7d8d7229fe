// Bank statements back into the book (issue 12): generated camt.054 and camt.053 files (.001.04
// and .001.08) with exact, partial, over- and wrong-currency payments, QRR and SCOR references,
// an invoice number in the text, an unknown payer, a debit, a duplicate and a truncated file.
// The payments, deposits and the to-reconcile list are exactly the expected ones; a second import
// changes nothing; a broken or hostile file is refused whole. The generator's .08 output is
// validated against ISO 20022's XSDs with xmllint.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { camt, type GenCredit } from '../helpers/camt';
import { CH_QR_IBAN, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { rowCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-statements-');
let k: TestKontor;
type Inv = Awaited<ReturnType<typeof issueInvoice>>;
const inv: Record<string, Inv> = {};

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const money = (minor: number) => (minor / 100).toFixed(2);
const importFile = (xml: string, dryRun = false, fileName = 'statement.xml') =>
  k.ok('payments.importStatement', { fileName, contentBase64: b64(xml), dryRun });

beforeAll(async () => {
  k = space.kontor({ now: '2026-03-20T08:00:00.000Z' });
  // The provider is paid to a QR-IBAN: its invoices carry QR references.
  await setUpProvider(k, { iban: CH_QR_IBAN });
  // A second issuer with a plain IBAN: its invoices carry ISO 11649 creditor references.
  const scorIssuer = await setUpProvider(k, { name: 'Régie SCOR SA', iban: 'CH93 0076 2011 6238 5295 7' });
  await setUpProvider(k, { iban: CH_QR_IBAN, name: 'Infomaniak Hosting SA' });
  const payer = await createPayer(k, { name: 'Payeur Banque SA' });
  for (const name of ['exact', 'over', 'currency', 'settled', 'byNumber', 'assign'])
    inv[name] = await issueInvoice(k, payer.id, [line(10_000)]);
  inv.partial = await issueInvoice(k, payer.id, [line(10_000)], { issuerOrganizationId: scorIssuer });
  await k.ok('payments.record', {
    invoiceId: inv.settled!.id,
    amountMinor: inv.settled!.grossMinor,
    currency: 'CHF',
    method: 'bank_transfer',
    receivedOn: '2026-03-21',
  });
});

function credits(): GenCredit[] {
  return [
    {
      ref: 'E-EXACT',
      amount: money(inv.exact!.grossMinor),
      qrr: inv.exact!.paymentReference!,
      debtor: 'Payeur Banque SA',
    },
    { ref: 'E-PART', amount: '40.00', scor: inv.partial!.paymentReference! },
    { ref: 'E-OVER', amount: money(inv.over!.grossMinor + 500), qrr: inv.over!.paymentReference! },
    { ref: 'E-EUR', amount: '20.00', currency: 'EUR', qrr: inv.currency!.paymentReference! },
    { ref: 'E-SETTLED', amount: '5.00', qrr: inv.settled!.paymentReference! },
    {
      ref: 'E-NUMBER',
      amount: money(inv.byNumber!.grossMinor),
      text: `Facture ${inv.byNumber!.number} merci`,
    },
    { ref: 'E-UNKNOWN', amount: '77.00', text: 'Don anonyme' },
    { ref: 'E-DEBIT', amount: '12.00', debit: true },
    { ref: 'E-EXACT', amount: money(inv.exact!.grossMinor), qrr: inv.exact!.paymentReference! },
  ];
}

describe('payments.importStatement', () => {
  it('previews every credit with its proposed match and writes nothing', async () => {
    const before = rowCounts(k.raw);
    const preview = await importFile(camt({ kind: '054', version: '08', credits: credits() }), true);
    expect(preview.written).toBe(false);
    expect(preview.skipped).toBe(1);
    expect(
      preview.entries.map((e) => [
        e.entryRef,
        e.outcome.kind,
        'reason' in e.outcome ? e.outcome.reason : null,
      ]),
    ).toEqual([
      ['E-EXACT', 'exact', null],
      ['E-PART', 'partial', null],
      ['E-OVER', 'deposit', 'more_than_due'],
      ['E-EUR', 'deposit', 'currency_mismatch'],
      ['E-SETTLED', 'deposit', 'already_settled'],
      ['E-NUMBER', 'exact', null],
      ['E-UNKNOWN', 'unmatched', 'no_invoice'],
      ['E-EXACT', 'duplicate', null],
    ]);
    expect(preview.entries.find((e) => e.entryRef === 'E-PART')!.matchedBy).toBe('reference');
    expect(preview.entries.find((e) => e.entryRef === 'E-NUMBER')!.matchedBy).toBe('number');
    expect(rowCounts(k.raw)).toEqual(before);
  });

  it('records exactly the payments, deposits and waiting entries; a second import changes nothing', async () => {
    const xml = camt({ kind: '054', version: '08', credits: credits() });
    const done = await importFile(xml);
    expect(done.counts).toEqual({ exact: 2, partial: 1, deposit: 3, unmatched: 1, duplicate: 1 });
    const status = async (name: string) => (await k.ok('invoices.get', { id: inv[name]!.id })).status;
    expect(await status('exact')).toBe('paid');
    expect(await status('byNumber')).toBe('paid');
    expect(await status('partial')).toBe('partially_paid');
    expect(await status('over')).toBe('unpaid');
    const payments = k.raw
      .prepare(
        "SELECT reference, outcome, deposit_reason, amount_minor, currency, method, received_on FROM payments WHERE reference LIKE 'camt:%' ORDER BY reference",
      )
      .all();
    expect(payments).toEqual([
      {
        reference: 'camt:E-EUR',
        outcome: 'deposited',
        deposit_reason: 'currency_mismatch',
        amount_minor: 2_000,
        currency: 'EUR',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
      {
        reference: 'camt:E-EXACT',
        outcome: 'applied',
        deposit_reason: null,
        amount_minor: inv.exact!.grossMinor,
        currency: 'CHF',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
      {
        reference: 'camt:E-NUMBER',
        outcome: 'applied',
        deposit_reason: null,
        amount_minor: inv.byNumber!.grossMinor,
        currency: 'CHF',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
      {
        reference: 'camt:E-OVER',
        outcome: 'deposited',
        deposit_reason: 'more_than_due',
        amount_minor: inv.over!.grossMinor + 500,
        currency: 'CHF',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
      {
        reference: 'camt:E-PART',
        outcome: 'applied',
        deposit_reason: null,
        amount_minor: 4_000,
        currency: 'CHF',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
      {
        reference: 'camt:E-SETTLED',
        outcome: 'deposited',
        deposit_reason: 'already_settled',
        amount_minor: 500,
        currency: 'CHF',
        method: 'bank_transfer',
        received_on: '2026-03-25',
      },
    ]);
    const deposits = k.raw
      .prepare(
        "SELECT note, amount_minor, currency FROM ledger_entries WHERE kind = 'deposit' AND method = 'bank_transfer' ORDER BY note",
      )
      .all();
    expect(deposits).toEqual([
      { note: 'already_settled', amount_minor: 500, currency: 'CHF' },
      { note: 'currency_mismatch', amount_minor: 2_000, currency: 'EUR' },
      { note: 'more_than_due', amount_minor: inv.over!.grossMinor + 500, currency: 'CHF' },
    ]);
    const waiting = await k.ok('payments.unmatched', {});
    expect(waiting.map((w) => [w.id, w.amountMinor, w.reason])).toEqual([
      ['camt:E-UNKNOWN', 7_700, 'no_invoice'],
    ]);
    const before = rowCounts(k.raw);
    const again = await importFile(xml);
    expect(again.counts).toEqual({ exact: 0, partial: 0, deposit: 0, unmatched: 0, duplicate: 8 });
    const after = rowCounts(k.raw);
    expect({ ...after, activity: 0 }).toEqual({ ...before, activity: 0 });
    // The same credits in a camt.053 statement of the old version are the same entries: nothing new.
    const as053 = await importFile(camt({ kind: '053', version: '04', credits: credits() }));
    expect(as053.counts.duplicate).toBe(8);
  });

  it('reads camt.053 .001.04 like camt.054 .001.08, and lets the accountant assign or dismiss what waits', async () => {
    const xml = camt({
      kind: '053',
      version: '04',
      messageId: 'STMT-2',
      credits: [
        { ref: 'S-1', amount: '9.99', text: 'sans référence' },
        { ref: 'S-2', amount: '1.00', text: 'frais bancaires remboursés' },
      ],
    });
    const done = await importFile(xml, false, 'stmt.xml');
    expect(done.message).toBe('camt.053.001.04');
    expect(done.counts.unmatched).toBe(2);
    // Less than due: a partial payment of the invoice it is assigned to.
    const paid = await k.ok('payments.assignEntry', { entryId: 'camt:S-1', invoiceId: inv.assign!.id });
    expect(paid.outcome).toBe('applied');
    expect((await k.ok('invoices.get', { id: inv.assign!.id })).status).toBe('partially_paid');
    await k.ok('payments.dismissEntry', { entryId: 'camt:S-2' });
    expect((await k.ok('payments.unmatched', {})).map((w) => w.id)).toEqual(['camt:E-UNKNOWN']);
    await k.fails('payments.dismissEntry', { entryId: 'camt:S-2' }, 'statement_entry_not_found');
  });

  it('refuses a truncated, hostile or unknown file whole, in the caller’s language, writing nothing', async () => {
    const before = rowCounts(k.raw);
    const xml = camt({ kind: '054', version: '08', credits: [{ ref: 'T-1', amount: '1.00', text: 'x' }] });
    const truncated = xml.slice(0, Math.floor(xml.length * 0.7));
    const e1 = await k.fails(
      'payments.importStatement',
      { fileName: 'cut.xml', contentBase64: b64(truncated), dryRun: false },
      'statement_malformed',
      { locale: 'fr' },
    );
    expect(e1.message).toContain('cut.xml');
    expect(e1.message).toMatch(/rien n’a été importé/);
    const hostile = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "yyyyyyyy">]>${xml.slice(xml.indexOf('<Document'))}`;
    await k.fails(
      'payments.importStatement',
      { fileName: 'h.xml', contentBase64: b64(hostile), dryRun: false },
      'statement_hostile',
    );
    const other = xml.replace('camt.054.001.08', 'camt.054.001.02');
    await k.fails(
      'payments.importStatement',
      { fileName: 'o.xml', contentBase64: b64(other), dryRun: false },
      'statement_unknown',
    );
    expect(rowCounts(k.raw)).toEqual(before);
  });
});

// ISO 20022's own schemas (camt.053.001.08 and camt.054.001.08, as published by ISO's Standards
// Editor), kept unchanged in test/fixtures/iso20022 (its README says where they come from).
const XSD_DIR = path.resolve(__dirname, '..', 'fixtures', 'iso20022');

describe('the generator against the ISO 20022 XSDs (xmllint)', () => {
  it.each(['053', '054'] as const)('camt.%s.001.08 validates', (kind) => {
    const dir = space.dir();
    const file = path.join(dir, `camt.${kind}.xml`);
    fs.writeFileSync(file, camt({ kind, version: '08', credits: credits() }));
    const out = execFileSync(
      'xmllint',
      ['--noout', '--schema', path.join(XSD_DIR!, `camt.${kind}.001.08.xsd`), file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(out).toBe('');
  });
});
