// One invoice, pro forma or credit note laid out on A4 pages (DIN 5008 form B; see
// invoice-pdf.ts for the page plan): issuer header, address window and meta block, title, the
// tables (invoice-tables.ts), mentions, payment instructions or the QR-bill, footers.
import type { DocumentParty, InvoiceDocument } from '../invoice-document';
import { type DocumentFormatter, documentFormatter } from './format';
import { InvoiceTables } from './invoice-tables';
import { type DocumentLabels, documentLabels } from './labels';
import {
  ASCENT,
  BASE_SIZE,
  CAP_HEIGHT,
  CONTENT_BOTTOM,
  INK,
  LEFT,
  MM,
  MUTED,
  PAGE_H,
  type PageInfo,
  PageWriter,
  RIGHT,
  RULE,
  TOP,
  WIDTH,
} from './page-writer';
import { drawQrBill, type PreparedQrBill, QR_BILL_HEIGHT } from './qr-bill';
import { compactIdentifier, formatIban, formatPaymentReference } from '#common/payment-reference';

const DEFAULT_ACCENT = '#2f5d8a';

/** Lays out one document into a pdfkit document (which may already hold other documents). */
export class InvoiceLayout {
  protected readonly fmt: DocumentFormatter;
  protected readonly l: DocumentLabels;
  protected readonly w: PageWriter;
  private headerBottom = TOP;

  constructor(
    pdf: PDFKit.PDFDocument,
    protected readonly doc: InvoiceDocument,
    protected readonly qr: PreparedQrBill | null,
  ) {
    this.fmt = documentFormatter(doc.locale, doc.currency);
    this.l = documentLabels(doc.locale, isSwiss(doc.issuer.country));
    const title = documentTitle(doc, this.l);
    this.w = new PageWriter(pdf, {
      watermark: doc.number === null ? this.l.draft : null,
      runningHead: { left: doc.issuer.name, right: `${title} · ${this.l.continued}` },
      accent: /^#[0-9a-f]{6}$/i.test(doc.issuer.color) ? doc.issuer.color : DEFAULT_ACCENT,
    });
  }

  render(): void {
    const tables = new InvoiceTables(this.w, this.doc, this.fmt, this.l);
    this.w.newPage();
    this.header();
    this.addressAndMeta();
    this.title();
    tables.linesTable();
    tables.summaryAndTotals();
    this.mentions();
    this.paymentAndQrBill();
    this.footers();
  }

  // ── header: logo or initials, issuer ──────────────────────────────────────────────────────

  protected header(): void {
    const { issuer } = this.doc;
    const logoHeight = 18 * MM;
    let drawnLogo = false;
    if (issuer.logo && /^data:image\/(png|jpe?g);base64,/i.test(issuer.logo)) {
      try {
        // fit keeps the aspect ratio; without align/valign the image sits at the top left of the box.
        this.w.pdf.image(issuer.logo, LEFT, TOP, { fit: [55 * MM, logoHeight] });
        drawnLogo = true;
      } catch {
        // An unreadable logo must not cost the invoice: the initials stand in.
      }
    }
    if (!drawnLogo) this.initials(LEFT, TOP, 16 * MM);

    // Issuer block, right-aligned.
    const width = 85 * MM;
    const x = RIGHT - width;
    let y = TOP;
    this.w.font(true, 10.5);
    y += this.w.para(issuer.name, x, y, width, { align: 'right', lineGap: 0.5 });
    this.w.font(false, 8.5, MUTED);
    const lines = [...issuer.lines];
    if (issuer.email) lines.push(issuer.email);
    for (const line of lines) {
      if (line.trim()) y += this.w.para(line, x, y, width, { align: 'right', lineGap: 0.5 });
    }
    const ids = this.identifiers(issuer);
    if (ids.length) {
      y += 2;
      for (const id of ids) y += this.w.para(id, x, y, width, { align: 'right', lineGap: 0.5 });
    }
    this.w.y = Math.max(y, TOP + logoHeight);
    this.headerBottom = this.w.y;
  }

  private initials(x: number, y: number, size: number): void {
    const { initials } = this.doc.issuer;
    this.w.pdf
      .save()
      .roundedRect(x, y, size, size, 2.5 * MM)
      .fill(this.w.accent)
      .restore();
    const text = initials.trim().slice(0, 3).toUpperCase() || '?';
    const fontSize = text.length > 2 ? size * 0.34 : size * 0.42;
    this.w.font(true, fontSize, isLight(this.w.accent) ? INK : '#ffffff');
    const w = this.w.pdf.widthOfString(text);
    const top = y + size / 2 + ((CAP_HEIGHT / 2 - ASCENT) / 1000) * fontSize;
    this.w.pdf.text(text, x + (size - w) / 2, top, { lineBreak: false });
  }

  private identifiers(p: DocumentParty): string[] {
    const out: string[] = [];
    if (p.uid) out.push(`${this.l.uid(p.country)} ${p.uid}`);
    if (p.vatNumber) out.push(`${this.l.vatNumber(p.country)} ${p.vatNumber}`);
    return out;
  }

  // ── address window and meta block ─────────────────────────────────────────────────────────

  protected addressAndMeta(): void {
    const { issuer, billTo } = this.doc;
    const windowTop = 45 * MM;
    const addressWidth = 80 * MM;
    // Return address: one small line at the top of the window.
    const returnParts = [issuer.name, issuer.street, `${issuer.postalCode} ${issuer.city}`.trim()].filter(
      (s) => s.trim(),
    );
    this.w.font(false, 6.5, MUTED);
    const returnLine = returnParts.join(' · ');
    this.w.pdf.text(returnLine, LEFT, windowTop + 2 * MM, {
      width: addressWidth,
      lineBreak: false,
      ellipsis: true,
      height: 9,
    });
    this.w.rule(
      windowTop + 2 * MM + 9,
      RULE,
      0.4,
      LEFT,
      LEFT + Math.min(addressWidth, this.w.pdf.widthOfString(returnLine)),
    );

    let y = windowTop + 8 * MM;
    this.w.font(true, 10);
    y += this.w.para(billTo.name, LEFT, y, addressWidth, { lineGap: 1 });
    this.w.font(false, 10);
    for (const line of billTo.lines) {
      if (line.trim()) y += this.w.para(line, LEFT, y, addressWidth, { lineGap: 1 });
    }

    // Meta block: label / value pairs beside the window.
    const x = 120 * MM;
    const labelWidth = 30 * MM;
    const valueWidth = RIGHT - x - labelWidth;
    const rows = this.metaRows();
    const bold = rows[0]?.[0];
    // Beside the window, below a tall issuer block if need be.
    let my = Math.max(windowTop + 8 * MM, this.headerBottom + 4 * MM);
    for (const [label, value] of rows) {
      this.w.font(false, 8.5, MUTED);
      const h1 = this.w.para(label, x, my, labelWidth - 4, { lineGap: 0.5 });
      this.w.font(label === bold, 9);
      const h2 = this.w.para(value, x + labelWidth, my, valueWidth, { lineGap: 0.5 });
      my += Math.max(h1, h2) + 3;
    }
    // The title starts below the window (45–90 mm), whatever the address's length.
    this.w.y = Math.max(y, my, 88 * MM) + 6 * MM;
  }

  /** Label / value pairs beside the address window; the first is printed bold. */
  protected metaRows(): [string, string][] {
    const { billTo, kind } = this.doc;
    const rows: [string, string][] = [];
    rows.push([this.l.number[kind], this.doc.number ?? this.l.draft]);
    rows.push([this.l.issuedOn, this.fmt.date(this.doc.issuedOn)]);
    if (this.doc.dueOn && kind !== 'credit_note') rows.push([this.l.dueOn, this.fmt.date(this.doc.dueOn)]);
    if (billTo.uid) rows.push([this.l.customerUid, billTo.uid]);
    if (billTo.vatNumber) rows.push([this.l.customerVat, billTo.vatNumber]);
    return rows;
  }

  // ── title ─────────────────────────────────────────────────────────────────────────────────

  private title(): void {
    this.w.font(true, 17);
    this.w.y += this.w.para(documentTitle(this.doc, this.l), LEFT, this.w.y, WIDTH, { lineGap: 0 });
    const mentions: string[] = [];
    if (this.doc.kind === 'pro_forma') mentions.push(this.l.proFormaMention);
    if (this.doc.kind === 'credit_note' && this.doc.correctsNumber) {
      mentions.push(this.l.correctsInvoice(this.doc.correctsNumber));
    }
    if (mentions.length) {
      this.w.y += 2;
      this.w.font(false, BASE_SIZE, MUTED);
      for (const m of mentions) this.w.y += this.w.para(m, LEFT, this.w.y, WIDTH);
    }
    this.w.y += 5 * MM;
  }

  private mentions(): void {
    const { doc, l } = this;
    if (doc.reverseCharge) this.w.block(null, l.reverseCharge, { accentBar: true });
    if (doc.notes?.trim()) this.w.block(l.notes, doc.notes.trim());
  }

  /** The payment paragraph, or null when there is nothing to pay. */
  protected paymentText(): string | null {
    const { doc, l, fmt } = this;
    if (doc.kind === 'credit_note' || doc.totals.dueMinor <= 0) return null;
    const amount = fmt.money(doc.totals.dueMinor);
    const parts = [doc.dueOn ? l.payBy(amount, fmt.date(doc.dueOn)) : l.payNow(amount)];
    if (doc.issuer.iban) parts.push(`${l.iban} ${formatIban(doc.issuer.iban)}`);
    const ref = doc.paymentReference;
    if (ref.type !== 'NON' && ref.value) {
      parts.push(`${l.reference} ${formatPaymentReference(ref.type, compactIdentifier(ref.value))}`);
    }
    return parts.join('\n');
  }

  // ── payment instructions and QR-bill ──────────────────────────────────────────────────────

  /**
   * With a QR-bill that fits under the content, the payment part says it all (account,
   * reference, amount; the due date is in the meta block), so the payment paragraph is left
   * out. Otherwise the payment part gets a page of its own, and the paragraph is printed on
   * the invoice's last page if it fits there (never alone on a page: the payment part has it all).
   */
  protected paymentAndQrBill(): void {
    const text = this.paymentText();
    if (!this.qr) {
      if (text) this.w.block(this.l.payment, text);
      return;
    }
    const qrTop = PAGE_H - QR_BILL_HEIGHT;
    // The footer moves above the payment part; it needs about 10 mm.
    if (this.w.y > qrTop - 10 * MM) {
      if (text) {
        this.w.font(false, BASE_SIZE);
        const height = this.w.lineHeight(BASE_SIZE) + 2 + this.w.measure(text, WIDTH);
        if (this.w.y + height <= CONTENT_BOTTOM) this.w.block(this.l.payment, text);
      }
      this.w.continuationPage();
    }
    const page = this.w.pages[this.w.pages.length - 1] as PageInfo;
    page.footerY = qrTop - 6 * MM;
    drawQrBill(this.w.pdf, this.qr, qrTop);
  }

  // ── footers ───────────────────────────────────────────────────────────────────────────────

  protected footers(): void {
    const { issuer } = this.doc;
    const parts = [issuer.name, ...this.identifiers(issuer)];
    if (issuer.email) parts.push(issuer.email);
    const left = parts.join(' · ');
    const count = this.w.pages.length;
    this.w.pages.forEach((page, i) => {
      this.w.pdf.switchToPage(this.w.firstPageIndex + i);
      this.w.rule(page.footerY - 4, RULE, 0.5);
      const pageLabel = count > 1 ? this.l.page(i + 1, count) : '';
      this.w.font(false, 7, MUTED);
      const labelWidth = pageLabel ? this.w.pdf.widthOfString(pageLabel) + 6 * MM : 0;
      this.w.pdf.text(left, LEFT, page.footerY, {
        width: WIDTH - labelWidth,
        lineBreak: false,
        ellipsis: true,
        height: 10,
      });
      if (pageLabel) this.w.put(pageLabel, LEFT, page.footerY, 'right', WIDTH);
      // The issuer's own closing line (register, bank, thanks) under its identifiers; there is
      // room for one more 7 pt line above the page edge or the QR-bill's perforation.
      if (issuer.footer)
        this.w.pdf.text(issuer.footer, LEFT, page.footerY + 9, {
          width: WIDTH,
          lineBreak: false,
          ellipsis: true,
          height: 10,
        });
    });
  }
}

/** "Invoice 2026-0001", or "Invoice (draft)" before it is issued. */
export function documentTitle(doc: InvoiceDocument, l: DocumentLabels): string {
  const title = l.title[doc.kind];
  return doc.number ? `${title} ${doc.number}` : `${title} (${l.draftTitle})`;
}

export function isSwiss(country: string): boolean {
  const c = country.trim().toUpperCase();
  return c === 'CH' || c === 'LI';
}

/** Relative luminance above ~0.6: dark initials on a light colour. */
function isLight(hex: string): boolean {
  const channel = (i: number): number => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5) > 0.6;
}
