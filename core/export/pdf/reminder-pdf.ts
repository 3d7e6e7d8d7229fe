// A payment reminder as a PDF (issue 12, dunning): the invoice's page layout (header, address
// window, footers, invoice-layout.ts) with the reminder's own meta block, title and body — the
// invoice it reminds, what is paid or credited, what is still due, each reminder fee — and the
// Swiss QR-bill for what is still due plus the fees, under the invoice's own payment reference,
// so the bank import matches the payment to the invoice. Words: common/i18n/reminder-words.ts.
import { reminderTitleFor, reminderWords } from '#common/i18n/reminder-words';
import { translate } from '#common/i18n/translate';
import type { InvoiceDocument } from '../invoice-document';
import { endPdfDocument, newPdfDocument, parsedFonts } from './fonts';
import { InvoiceLayout } from './invoice-layout';
import { BASE_SIZE, LEFT, MM, MUTED, RIGHT, WIDTH } from './page-writer';
import { type PreparedQrBill, prepareQrBill } from './qr-bill';

export interface ReminderFacts {
  level: number;
  final: boolean;
  remindedOn: string;
  payBy: string;
  invoiceNumber: string;
  invoiceIssuedOn: string;
  invoiceDueOn: string;
  daysOverdue: number;
  invoiceGrossMinor: number;
  paidOrCreditedMinor: number;
  dueMinor: number;
  /** Every fee of this invoice's reminders up to this one, by level. */
  fees: { level: number; feeMinor: number }[];
  totalMinor: number;
}

/** The invoice's document (its parties, reference, currency, language), totals set to what the reminder asks. */
export interface ReminderDocument {
  document: InvoiceDocument;
  reminder: ReminderFacts;
}

type Words = (typeof reminderWords)['en'];

export function reminderTitle(doc: ReminderDocument): string {
  return reminderTitleFor(doc.document.locale, doc.reminder.level, doc.reminder.final);
}

class ReminderLayout extends InvoiceLayout {
  private readonly words: Words;

  constructor(
    pdf: PDFKit.PDFDocument,
    private readonly rd: ReminderDocument,
    qr: PreparedQrBill | null,
  ) {
    super(pdf, rd.document, qr);
    this.words = reminderWords[rd.document.locale];
  }

  override render(): void {
    this.w.newPage();
    this.header();
    this.addressAndMeta();
    this.body();
    this.paymentAndQrBill();
    this.footers();
  }

  protected override metaRows(): [string, string][] {
    const r = this.rd.reminder;
    const rows: [string, string][] = [
      [this.words.reminderDate, this.fmt.date(r.remindedOn)],
      [this.words.invoiceNumber, r.invoiceNumber],
      [this.words.invoiceDate, this.fmt.date(r.invoiceIssuedOn)],
      [this.words.invoiceDueOn, this.fmt.date(r.invoiceDueOn)],
      [this.words.payBy, this.fmt.date(r.payBy)],
    ];
    const { billTo } = this.doc;
    if (billTo.uid) rows.push([this.l.customerUid, billTo.uid]);
    if (billTo.vatNumber) rows.push([this.l.customerVat, billTo.vatNumber]);
    return rows;
  }

  private t(key: keyof Words, params: Record<string, unknown> = {}): string {
    return translate(reminderWords, this.doc.locale, key, params);
  }

  private body(): void {
    const r = this.rd.reminder;
    this.w.font(true, 17);
    this.w.y += this.w.para(reminderTitle(this.rd), LEFT, this.w.y, WIDTH, { lineGap: 0 });
    this.w.y += 4 * MM;
    this.w.font(false, BASE_SIZE + 1);
    const intro = r.final
      ? this.t('intro.final', { days: r.daysOverdue, date: this.fmt.date(r.payBy) })
      : this.t('intro', { days: r.daysOverdue });
    this.w.y += this.w.para(intro, LEFT, this.w.y, WIDTH) + 5 * MM;

    const rows: { label: string; amount: number; bold?: boolean; muted?: boolean }[] = [
      {
        label: this.t('invoiceLine', { number: r.invoiceNumber, date: this.fmt.date(r.invoiceIssuedOn) }),
        amount: r.invoiceGrossMinor,
      },
    ];
    if (r.paidOrCreditedMinor > 0)
      rows.push({ label: this.words.paidOrCredited, amount: -r.paidOrCreditedMinor });
    rows.push({ label: this.words.stillDue, amount: r.dueMinor, bold: true });
    for (const f of r.fees)
      if (f.feeMinor > 0) rows.push({ label: this.t('fee', { level: f.level }), amount: f.feeMinor });
    const amountX = RIGHT - 40 * MM;
    this.w.rule(this.w.y - 2);
    for (const row of rows) {
      this.w.font(row.bold === true, BASE_SIZE + 1);
      this.w.put(row.label, LEFT, this.w.y);
      this.w.put(this.fmt.money(row.amount), amountX, this.w.y, 'right', 40 * MM);
      this.w.y += this.w.lineHeight(BASE_SIZE + 1) + 3;
    }
    this.w.rule(this.w.y, this.w.accent, 1);
    this.w.y += 3;
    this.w.font(true, BASE_SIZE + 2);
    this.w.put(this.words.totalToPay, LEFT, this.w.y);
    this.w.put(this.fmt.money(r.totalMinor), amountX, this.w.y, 'right', 40 * MM);
    this.w.y += this.w.lineHeight(BASE_SIZE + 2) + 5 * MM;
    if (r.fees.some((f) => f.feeMinor > 0)) {
      this.w.font(false, BASE_SIZE - 1, MUTED);
      this.w.y += this.w.para(this.words.feeNote, LEFT, this.w.y, WIDTH) + 3 * MM;
    }
  }

  protected override paymentText(): string | null {
    const r = this.rd.reminder;
    return this.t('payWithSlip', { amount: this.fmt.money(r.totalMinor), date: this.fmt.date(r.payBy) });
  }
}

/** One reminder as a PDF in memory. QrBillError (a missing IBAN, a bad reference) is thrown before anything is drawn. */
export function reminderPdfBuffer(doc: ReminderDocument): Promise<Buffer> {
  try {
    parsedFonts();
    const qr = prepareQrBill(doc.document);
    const pdf = newPdfDocument({
      autoFirstPage: false,
      bufferPages: true,
      margin: 0,
      compress: true,
      lang: doc.document.locale,
      info: {
        Title: `${reminderTitle(doc)} · ${doc.reminder.invoiceNumber}`,
        Author: doc.document.issuer.name,
        Creator: 'Kontor',
        Producer: 'Kontor (pdfkit)',
      },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
      pdf.once('end', () => resolve(Buffer.concat(chunks)));
      pdf.once('error', reject);
    });
    new ReminderLayout(pdf, doc, qr).render();
    endPdfDocument(pdf);
    return done;
  } catch (error) {
    return Promise.reject(error);
  }
}
