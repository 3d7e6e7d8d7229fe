// The issue of the billing run's batch path (./bulk-issue.ts), for a document in hand rather
// than read back: issueInvoice's checks (VAT rates, the issuer's account, a billing address),
// the gapless number of the device's one series for the run (issuer, invoice, year, device),
// the parties' snapshots, the payment reference and due date, and the readiness of the
// e-invoice and QR-bill — all decided before anything is written, so a refusal leaves no trace.
import { addDays } from '#common/dates';
import { fail } from '#common/errors';
import { issuerCodeOf, numbering } from '#common/invoice-numbering';
import { isValidIban } from '#common/payment-reference';
import type { BillingAddress, Invoice, Organization } from '#db/schema/index';
import type { Ctx } from '../context';
import { readinessFrom } from '../einvoices.service';
import type { vatFor } from '../invoices/detail';
import type { priceLines } from '../invoices/drafts.service';
import {
  assignedSeriesCode,
  issuerProblems,
  paymentReferenceFor,
  seriesCode,
  snapshotOf,
} from '../invoices/issue.service';

export class BatchIssue {
  private issuer!: Organization;
  private issuerAddress: BillingAddress | undefined;
  /** The device's series code (the hub's assignment, read once per slice). */
  private seriesCode = '';
  private readonly st;

  constructor(
    private readonly ctx: Ctx,
    private readonly date: string,
    /** An organization's name, for the refusal of a number another issuer holds. */
    private readonly nameOf: (organizationId: string) => string | undefined,
  ) {
    const raw = ctx.raw;
    this.st = {
      series: raw.prepare('SELECT next_sequence FROM invoice_series WHERE id = ?').pluck(),
      newSeries: raw.prepare(
        'INSERT INTO invoice_series (id, issuer_organization_id, kind, year, code, device_id, next_sequence) VALUES (?, ?, ?, ?, ?, ?, 1)',
      ),
      nextSeq: raw.prepare('UPDATE invoice_series SET next_sequence = ? WHERE id = ?'),
      holder: raw
        .prepare(
          'SELECT issuer_organization_id FROM invoices WHERE number = ? AND issuer_organization_id <> ? LIMIT 1',
        )
        .pluck(),
    };
  }

  /** A new slice: the issuer and its address as they are now, the series assigned now. */
  begin(issuer: Organization, issuerAddress: BillingAddress | undefined): void {
    this.issuer = issuer;
    this.issuerAddress = issuerAddress;
    this.seriesCode = assignedSeriesCode(this.ctx) ?? seriesCode(this.ctx.deviceId);
  }

  /** The number `decide` drew is consumed: the series moves on (inside the invoice's savepoint). */
  consume(sequence: number): void {
    this.st.nextSeq.run(sequence + 1, this.seriesId);
  }

  /** issueInvoice's checks and fields: the number, the snapshots, the reference, the due date. */
  decide(
    payer: Organization,
    address: BillingAddress | undefined,
    decision: ReturnType<typeof vatFor>,
    invoice: Record<string, unknown>,
    priced: ReturnType<typeof priceLines>,
  ) {
    const { issuer, date } = this;
    for (const line of priced)
      if (!decision.allowedRatesBp.includes(line.vatRateBp))
        fail('vat_rate_not_allowed', {
          rate: `${line.vatRateBp / 100} %`,
          allowed: decision.allowedRatesBp.map((r) => `${r / 100} %`).join(', '),
        });
    if (issuer.iban && !isValidIban(issuer.iban)) fail('issuer_iban_invalid', { iban: issuer.iban });
    if (!address) fail('billing_address_missing', { name: payer.name });
    const numbers = this.nextNumber();
    const issuerSnapshot = snapshotOf(issuer, this.issuerAddress);
    const fields = {
      status: 'unpaid' as const,
      series: numbers.series,
      sequence: numbers.sequence,
      number: numbers.number,
      issuedOn: date,
      dueOn: addDays(date, issuer.paymentTermDays),
      billingAddressId: address.id,
      billTo: snapshotOf(payer, address),
      issuer: issuerSnapshot,
      reverseCharge: decision.reverseCharge,
      ...paymentReferenceFor(issuerSnapshot, 'invoice', numbers),
    };
    // Never a number for a document whose e-invoice or QR-bill would be refused.
    const ready = readinessFrom({ ...(invoice as Invoice), ...fields }, priced, issuer, payer);
    ready.problems.unshift(
      ...issuerProblems(issuer, this.issuerAddress, 'invoice', decision.reverseCharge ? [] : priced).filter(
        (p) => !ready.problems.some((q) => q.code === p.code),
      ),
    );
    if (ready.problems.length) fail('einvoice_not_ready', { problems: ready.problems });
    return { fields, sequence: numbers.sequence };
  }

  private get seriesId(): string {
    return `${this.issuer.id}:invoice:${Number(this.date.slice(0, 4))}:${this.seriesCode}`;
  }

  /** issue.service's nextNumber, for the batch's one series (issuer, invoice, year, device). */
  private nextNumber() {
    const year = Number(this.date.slice(0, 4));
    const code = this.seriesCode;
    const id = this.seriesId;
    let sequence = this.st.series.get(id) as number | undefined;
    if (sequence === undefined) {
      this.st.newSeries.run(id, this.issuer.id, 'invoice', year, code, this.ctx.deviceId);
      sequence = 1;
    }
    const numbers = numbering('invoice', issuerCodeOf(this.issuer), year, code, sequence);
    const holder = this.st.holder.get(numbers.number, this.issuer.id) as string | undefined;
    if (holder) {
      // Two issuers whose codes coincide: refused rather than a second document under one number.
      const other = this.nameOf(holder);
      fail('invoice_number_taken', {
        number: numbers.number,
        issuer: this.issuer.name,
        other: other ?? holder,
      });
    }
    return numbers;
  }
}
