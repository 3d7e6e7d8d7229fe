// One row of an invoice import, checked against the book and turned into what the bulk
// writer stores. What a row needs from the book (its payer, the payer's address and snapshot,
// the VAT rule between issuer and payer, the numbers the issuer already holds) is read once
// per import or once per payer, never once per row: a ten-year history is a million rows.
import { eq } from 'drizzle-orm';
import { todayIso } from '#common/dates';
import { fail, KontorError, moneyParam } from '#common/errors';
import { issuerCodeOf } from '#common/invoice-numbering';
import { compactIdentifier, isValidQrr, isValidScor } from '#common/payment-reference';
import {
  type BillingAddress,
  type Currency,
  type InvoiceStatus,
  type Organization,
  organizations,
  type PartySnapshot,
} from '#db/schema/index';
import { settledStatus } from '#db/sync/derived';
import { Settlements } from './invoice-import-settlement';
import type { ImportValue } from '../../import/csv-import';
import type { Ctx } from '../context';
import { defaultAddress, defaultAddressFinder } from '../addresses.service';
import type { RowFailed } from './report';
import type { BulkInvoice, BulkLine } from '../invoices/bulk';
import { defaultLocale, snapshotOf, vatFor } from '../invoices.service';
import { organizationFinder } from './records';

/** Swiss rates before 2024 (standard, reduced, lodging): history is checked against its own year. */
const FORMER_SWISS_RATES: { until: string; rates: number[] }[] = [
  { until: '2017-12-31', rates: [800, 250, 380] },
  { until: '2023-12-31', rates: [770, 250, 370] },
];

function ratesOn(country: string, date: string, allowed: number[]): number[] {
  if (country !== 'CH' && country !== 'LI') return allowed;
  const former = FORMER_SWISS_RATES.find((f) => date <= f.until);
  return former ? [...former.rates, 0] : allowed;
}

const str = (v: ImportValue | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

interface Payer {
  org: Organization;
  addressId: string | null;
  billTo: PartySnapshot;
  reverseCharge: boolean;
  defaultRateBp: number;
  allowedRatesBp: number[];
  locale: BulkInvoice['locale'];
}

export interface InvoiceRowOptions {
  issuerOrganizationId?: string;
  acceptVatRates: boolean;
  acceptCurrencies: boolean;
}

/**
 * A row with a status is history: the document comes in ISSUED, immutable like any issued
 * invoice — its own number kept in a series of its source ("import:" + the issuer's code,
 * never one of Kontor's), its dates, status, due date and reference, what was paid as a
 * payment (on the file's payment date, or the import date), a credit note with its sign and
 * the invoice it corrects. A row without a status comes in as a draft (the file's number kept
 * as its import reference). Amounts are questioned: net + VAT must make the total, a negative
 * amount is only for a credit note (both refused outright); the VAT must be a rate of the
 * payer's country at that date and the currency the payer's (each kept only when the person
 * says so: acceptVatRates, acceptCurrencies). A number the issuer already holds — imported
 * before, or issued here — is refused, never overwritten.
 */
export class InvoiceRows {
  private readonly issuer: Organization;
  private readonly issuerSnapshot: PartySnapshot;
  private readonly series: string;
  private readonly today: string;
  private readonly payers = new Map<string, Payer | null>();
  /** Number (or import reference) → id, for what the issuer holds and what the file brought so far. */
  private readonly numbers = new Map<string, string>();
  private readonly findOrganization: (name: string) => Organization | undefined;
  private readonly findAddress: (organizationId: string) => BillingAddress | undefined;
  /** How far each issued invoice is settled: its status, by the book's rule. */
  private readonly settlements: Settlements;

  constructor(
    private readonly ctx: Ctx,
    private readonly options: InvoiceRowOptions,
    private readonly rowFailed: RowFailed,
    issuerId: string | null,
  ) {
    if (!issuerId) fail('issuer_missing');
    this.issuer =
      ctx.db.select().from(organizations).where(eq(organizations.id, issuerId)).get() ??
      fail('issuer_missing');
    this.issuerSnapshot = snapshotOf(this.issuer, defaultAddress(ctx.db, this.issuer.id));
    this.series = `import:${issuerCodeOf(this.issuer)}`;
    this.today = todayIso(ctx.clock.now());
    this.findOrganization = organizationFinder(ctx);
    this.findAddress = defaultAddressFinder(ctx.db);
    this.settlements = new Settlements(ctx, rowFailed);
    // Every number the issuer holds, read once: a lookup per row would cost a query per row.
    const held = ctx.raw
      .prepare(
        'SELECT id, number, import_ref FROM invoices WHERE issuer_organization_id = ? AND deleted_at IS NULL',
      )
      .all(this.issuer.id) as { id: string; number: string | null; import_ref: string | null }[];
    for (const r of held) {
      if (r.import_ref !== null && !this.numbers.has(r.import_ref)) this.numbers.set(r.import_ref, r.id);
      if (r.number !== null) this.numbers.set(r.number, r.id);
    }
  }

  private payer(name: string): Payer | null {
    let payer = this.payers.get(name);
    if (payer !== undefined) return payer;
    const org = this.findOrganization(name);
    if (org) {
      const address = this.findAddress(org.id);
      const decision = vatFor(this.issuer, org);
      payer = {
        org,
        addressId: address?.id ?? null,
        billTo: snapshotOf(org, address),
        reverseCharge: decision.reverseCharge,
        defaultRateBp: decision.defaultRateBp,
        allowedRatesBp: decision.allowedRatesBp,
        locale: defaultLocale(org, address?.postalCode, this.issuer),
      };
    } else payer = null;
    this.payers.set(name, payer);
    return payer;
  }

  /** The row as the bulk writer stores it, or null when it is refused (its error told). */
  accept(line: number, v: Record<string, ImportValue>): BulkInvoice | null {
    const number = String(v.number);
    const orgName = String(v.organization);
    const payer = this.payer(orgName);
    if (!payer) {
      this.rowFailed(
        line,
        'organization',
        new KontorError('import_organization_unknown', { name: orgName }),
        orgName,
      );
      return null;
    }
    const org = payer.org;
    if (this.numbers.has(number)) {
      this.rowFailed(line, 'number', new KontorError('import_number_exists', { number }), number);
      return null;
    }
    const kind = (str(v.kind) as BulkInvoice['kind'] | null) ?? 'invoice';
    const currency = (str(v.currency) as Currency | null) ?? org.currency;
    if (currency !== org.currency && !this.options.acceptCurrencies) {
      this.rowFailed(
        line,
        'currency',
        new KontorError('import_currency_mismatch', { currency, name: org.name, expected: org.currency }),
        currency,
      );
      return null;
    }
    const fileGross = Number(v.grossAmount);
    const fileNet = v.netAmount === null || v.netAmount === undefined ? null : Number(v.netAmount);
    const fileVat = v.vatAmount === null || v.vatAmount === undefined ? null : Number(v.vatAmount);
    // A credit note takes money back: Kontor's export writes it negative, other tools often
    // positive. Anything else negative is a correction in disguise.
    if (kind !== 'credit_note' && (fileGross < 0 || (fileNet ?? 0) < 0 || (fileVat ?? 0) < 0)) {
      const negative =
        fileGross < 0 ? fileGross : (fileNet ?? 0) < 0 ? (fileNet as number) : (fileVat as number);
      const field = negative === fileGross ? 'grossAmount' : negative === fileNet ? 'netAmount' : 'vatAmount';
      this.rowFailed(
        line,
        field,
        new KontorError('import_negative_amount', { value: moneyParam(negative, currency) }),
        String(negative),
      );
      return null;
    }
    const gross = Math.abs(fileGross);
    let net = fileNet === null ? null : Math.abs(fileNet);
    let vat = fileVat === null ? null : Math.abs(fileVat);
    if (net !== null && vat !== null && net + vat !== gross) {
      this.rowFailed(
        line,
        'grossAmount',
        new KontorError('import_totals_mismatch', {
          net: moneyParam(net, currency),
          vat: moneyParam(vat, currency),
          gross: moneyParam(gross, currency),
        }),
        String(fileGross),
      );
      return null;
    }
    if (net === null && vat !== null) net = gross - vat;
    if (vat === null && net !== null) vat = gross - net;
    const issuedOn = String(v.issuedOn);
    const allowed = ratesOn(org.country, issuedOn, payer.allowedRatesBp);
    const givenRate = v.vatRate === null || v.vatRate === undefined ? null : Number(v.vatRate);
    let rate: number;
    if (net === null || vat === null) {
      // Only a total: the payer's default rate splits it, as the lines of a draft would be.
      rate = givenRate ?? payer.defaultRateBp;
      net = Math.round((gross * 10_000) / (10_000 + rate));
      vat = gross - net;
    } else {
      const n = net;
      const t = vat;
      // The rate whose VAT on the net is nearest the file's (several rates fold into one line).
      const off = (r: number) => Math.abs(Math.round((n * r) / 10_000) - t);
      const candidates = givenRate !== null ? [givenRate] : allowed;
      rate = candidates.reduce((best, r) => (off(r) < off(best) ? r : best));
      const effective = n === 0 ? 0 : (t * 10_000) / n;
      const within =
        allowed.some((r) => off(r) <= 1) ||
        (allowed.length > 1 &&
          effective >= Math.min(...allowed) - 1 &&
          effective <= Math.max(...allowed) + 1);
      if ((!within || (givenRate !== null && !allowed.includes(givenRate))) && !this.options.acceptVatRates) {
        this.rowFailed(
          line,
          'vatAmount',
          new KontorError('import_vat_rate_not_allowed', {
            vat: moneyParam(t, currency),
            net: moneyParam(n, currency),
            rate: `${(effective / 100).toFixed(2)} %`,
            country: org.country,
            date: issuedOn,
            allowed: allowed.map((r) => `${r / 100} %`).join(', '),
          }),
          String(fileVat ?? ''),
        );
        return null;
      }
    }
    const status = str(v.status) as InvoiceStatus | null;
    const history = status !== null && status !== 'draft';
    let correctsInvoiceId: string | null = null;
    const corrects = str(v.corrects);
    if (corrects) {
      const target = this.numbers.get(corrects);
      if (!target) {
        this.rowFailed(
          line,
          'corrects',
          new KontorError('import_corrected_unknown', { number: corrects }),
          corrects,
        );
        return null;
      }
      correctsInvoiceId = target;
    }
    const id = this.ctx.ids.next();
    this.numbers.set(number, id);
    const lineItem: BulkLine = {
      productId: null,
      description: number,
      quantityMilli: 1000,
      unitPriceMinor: net,
      discountBp: 0,
      vatRateBp: rate,
      ...(history ? { amounts: { netMinor: net, vatMinor: vat, grossMinor: gross } } : {}),
    };
    if (!history)
      return {
        id,
        kind: kind === 'credit_note' ? 'credit_note' : 'invoice',
        status: 'draft',
        organizationId: org.id,
        productsOrganizationId: org.id,
        issuerOrganizationId: this.issuer.id,
        billingAddressId: null,
        currency,
        locale: payer.locale,
        issuedOn,
        dueOn: str(v.dueOn),
        series: null,
        sequence: null,
        number: null,
        billTo: null,
        issuer: null,
        reverseCharge: false,
        paidMinor: 0,
        referenceType: null,
        paymentReference: null,
        notes: null,
        importRef: number,
        lines: [lineItem],
      };
    const reference = str(v.paymentReference);
    const compact = reference ? compactIdentifier(reference) : null;
    const referenceType = compact
      ? isValidQrr(compact)
        ? 'QRR'
        : isValidScor(compact)
          ? 'SCOR'
          : 'NON'
      : null;
    // "paid" without a paid amount (a tool that exports no such column): paid in full.
    const paid =
      v.paidAmount === null || v.paidAmount === undefined
        ? status === 'paid'
          ? gross
          : 0
        : Math.abs(Number(v.paidAmount));
    // A credit note is born settled (invoices/credit-notes.service.ts): nothing is paid on it.
    const paidMinor = kind === 'credit_note' ? gross : Math.min(paid, gross);
    // The status is what the amounts make it, by the rule every device and the hub apply
    // after a merge (db/sync/derived.ts): a status the book kept apart from its amounts would
    // differ from device to device. The file's word is checked against it (finish()).
    const settled = settledStatus({ kind, grossMinor: gross, paidMinor, creditedMinor: 0, converted: false });
    if (kind !== 'credit_note')
      this.settlements.issued(id, {
        line,
        given: String(status),
        gross,
        paid: paidMinor,
        credited: 0,
        status: settled as InvoiceStatus,
        currency,
      });
    else if (correctsInvoiceId) this.settlements.credit(correctsInvoiceId, gross);
    const invoice: BulkInvoice = {
      id,
      kind,
      status: settled as InvoiceStatus,
      organizationId: org.id,
      productsOrganizationId: org.id,
      issuerOrganizationId: this.issuer.id,
      billingAddressId: payer.addressId,
      currency,
      locale: payer.locale,
      issuedOn,
      dueOn: str(v.dueOn),
      // The source's series: never one Kontor numbers in (those carry a device code).
      series: this.series,
      sequence: null,
      number,
      billTo: payer.billTo,
      issuer: this.issuerSnapshot,
      reverseCharge: payer.reverseCharge,
      paidMinor,
      referenceType: referenceType ?? (kind === 'credit_note' ? 'NON' : null),
      paymentReference: referenceType === 'QRR' || referenceType === 'SCOR' ? compact : reference,
      notes: null,
      importRef: number,
      correctsInvoiceId,
      lines: [lineItem],
      payments:
        kind !== 'credit_note' && paidMinor > 0
          ? [
              {
                amountMinor: paidMinor,
                receivedOn: str(v.paidOn) ?? this.today,
                method: 'bank_transfer',
                reference: compact,
              },
            ]
          : [],
    };
    this.settlements.pending(id, invoice);
    return invoice;
  }

  /** The rows handed out so far are written: a later credit note updates their status in the store. */
  written(): void {
    this.settlements.written();
  }

  /** After the last row: statuses of the file that the amounts do not make are told. */
  finish(): void {
    this.settlements.finish();
  }
}
