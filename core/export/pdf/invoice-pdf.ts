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
// pdfkit is used with zero page margins and explicit coordinates: the layout below does its
// own pagination and pdfkit never breaks a page by itself.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DocumentParty, InvoiceDocument, InvoiceDocumentLine } from '../invoice-document';
import { endPdfDocument, FONT_BOLD, FONT_REGULAR, newPdfDocument, parsedFonts } from './fonts';
import { type DocumentFormatter, documentFormatter } from './format';
import { type DocumentLabels, documentLabels } from './labels';
import { drawQrBill, type PreparedQrBill, prepareQrBill, QR_BILL_HEIGHT } from './qr-bill';
import { compactIdentifier, formatIban, formatPaymentReference } from '#common/payment-reference';

// ── Geometry (points) ───────────────────────────────────────────────────────────────────────
const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 25 * MM;
const RIGHT = PAGE_W - 20 * MM;
const WIDTH = RIGHT - LEFT;
const TOP = 15 * MM;
/** Content never goes below this line; the footer sits underneath. */
const CONTENT_BOTTOM = PAGE_H - 24 * MM;
const FOOTER_GAP = 10 * MM;
const CONTINUATION_TOP = 30 * MM;

const INK = '#1b1f24';
const MUTED = '#5f6670';
const RULE = '#d5d9de';
const HEADER_FILL = '#f1f3f5';
const DEFAULT_ACCENT = '#2f5d8a';

const BASE_SIZE = 9;
const CELL_PAD_X = 4;
const CELL_PAD_Y = 4;

// Liberation Sans / Kontor Sans vertical metrics (per 1000 units), to centre text in boxes.
const ASCENT = 905;
const CAP_HEIGHT = 688;

export interface RenderOptions {
  /** Compress the page content streams (default true): smaller files, a little slower. */
  compress?: boolean;
}

interface PageInfo {
  /** Top of the footer text on this page. */
  footerY: number;
}

/** Lays out one document into a pdfkit document (which may already hold other documents). */
class InvoiceLayout {
  private readonly fmt: DocumentFormatter;
  private readonly l: DocumentLabels;
  private readonly accent: string;
  private readonly pages: PageInfo[] = [];
  private readonly firstPageIndex: number;
  private y = TOP;
  private headerBottom = TOP;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly doc: InvoiceDocument,
    private readonly qr: PreparedQrBill | null,
  ) {
    this.fmt = documentFormatter(doc.locale, doc.currency);
    this.l = documentLabels(doc.locale, isSwiss(doc.issuer.country));
    this.accent = /^#[0-9a-f]{6}$/i.test(doc.issuer.color) ? doc.issuer.color : DEFAULT_ACCENT;
    const range = pdf.bufferedPageRange();
    this.firstPageIndex = range.start + range.count;
  }

  render(): void {
    this.newPage();
    this.header();
    this.addressAndMeta();
    this.title();
    this.linesTable();
    this.summaryAndTotals();
    this.mentions();
    this.paymentAndQrBill();
    this.footers();
  }

  // ── text helpers ──────────────────────────────────────────────────────────────────────────

  private font(bold: boolean, size: number, color = INK): this {
    this.pdf
      .font(bold ? FONT_BOLD : FONT_REGULAR)
      .fontSize(size)
      .fillColor(color);
    return this;
  }

  /** One line, no wrapping (pdfkit's line wrapper is skipped: much faster for table cells). */
  private put(
    text: string,
    x: number,
    y: number,
    align: 'left' | 'right' | 'center' = 'left',
    width = 0,
  ): void {
    let at = x;
    if (align !== 'left') {
      const w = this.pdf.widthOfString(text);
      at = align === 'right' ? x + width - w : x + (width - w) / 2;
    }
    this.pdf.text(text, at, y, { lineBreak: false });
  }

  /** Wrapped text; returns its height. */
  private para(
    text: string,
    x: number,
    y: number,
    width: number,
    options: PDFKit.Mixins.TextOptions = {},
  ): number {
    this.pdf.text(text, x, y, { width, lineGap: 1.5, ...options });
    return this.pdf.y - y;
  }

  private measure(text: string, width: number, options: PDFKit.Mixins.TextOptions = {}): number {
    return this.pdf.heightOfString(text, { width, lineGap: 1.5, ...options });
  }

  private lineHeight(size: number): number {
    this.pdf.fontSize(size);
    return this.pdf.currentLineHeight(true);
  }

  private rule(y: number, color = RULE, width = 0.5, x0 = LEFT, x1 = RIGHT): void {
    this.pdf.save().moveTo(x0, y).lineTo(x1, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  // ── pages ─────────────────────────────────────────────────────────────────────────────────

  private newPage(): void {
    this.pdf.addPage({ size: 'A4', margin: 0 });
    this.pages.push({ footerY: PAGE_H - FOOTER_GAP - 3 });
    if (this.doc.number === null) this.watermark();
    this.y = TOP;
  }

  /** A further page: a one-line reminder of whose document this is. */
  private continuationPage(): void {
    this.newPage();
    const ref = `${this.documentTitle()} · ${this.l.continued}`;
    this.font(false, BASE_SIZE, MUTED).put(ref, LEFT, TOP, 'right', WIDTH);
    const refWidth = this.pdf.widthOfString(ref);
    this.font(true, BASE_SIZE);
    this.pdf.text(this.doc.issuer.name, LEFT, TOP, {
      width: Math.max(WIDTH - refWidth - 6 * MM, 20 * MM),
      lineBreak: false,
      ellipsis: true,
      height: 12,
    });
    this.rule(TOP + 14);
    this.y = CONTINUATION_TOP;
  }

  /** Makes sure `height` points fit below the current position, else continues on a new page. */
  private ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.continuationPage();
    return true;
  }

  private watermark(): void {
    const text = this.l.draft;
    const size = 96;
    this.pdf.save();
    // Centred a little above the middle, clear of a payment part at the bottom.
    const cy = PAGE_H * 0.4;
    this.pdf.rotate(-35, { origin: [PAGE_W / 2, cy] });
    this.pdf.font(FONT_BOLD).fontSize(size).fillColor('#9aa3ad').fillOpacity(0.16);
    const w = this.pdf.widthOfString(text);
    this.pdf.text(text, (PAGE_W - w) / 2, cy - ((ASCENT - CAP_HEIGHT / 2) / 1000) * size, {
      lineBreak: false,
    });
    this.pdf.restore();
    this.pdf.fillOpacity(1);
  }

  private documentTitle(): string {
    const title = this.l.title[this.doc.kind];
    return this.doc.number ? `${title} ${this.doc.number}` : `${title} (${this.l.draftTitle})`;
  }

  // ── header: logo or initials, issuer ──────────────────────────────────────────────────────

  private header(): void {
    const { issuer } = this.doc;
    const logoHeight = 18 * MM;
    let drawnLogo = false;
    if (issuer.logo && /^data:image\/(png|jpe?g);base64,/i.test(issuer.logo)) {
      try {
        // fit keeps the aspect ratio; without align/valign the image sits at the top left of the box.
        this.pdf.image(issuer.logo, LEFT, TOP, { fit: [55 * MM, logoHeight] });
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
    this.font(true, 10.5);
    y += this.para(issuer.name, x, y, width, { align: 'right', lineGap: 0.5 });
    this.font(false, 8.5, MUTED);
    const lines = [...issuer.lines];
    if (issuer.email) lines.push(issuer.email);
    for (const line of lines) {
      if (line.trim()) y += this.para(line, x, y, width, { align: 'right', lineGap: 0.5 });
    }
    const ids = this.identifiers(issuer);
    if (ids.length) {
      y += 2;
      for (const id of ids) y += this.para(id, x, y, width, { align: 'right', lineGap: 0.5 });
    }
    this.y = Math.max(y, TOP + logoHeight);
    this.headerBottom = this.y;
  }

  private initials(x: number, y: number, size: number): void {
    const { initials } = this.doc.issuer;
    this.pdf
      .save()
      .roundedRect(x, y, size, size, 2.5 * MM)
      .fill(this.accent)
      .restore();
    const text = initials.trim().slice(0, 3).toUpperCase() || '?';
    const fontSize = text.length > 2 ? size * 0.34 : size * 0.42;
    this.font(true, fontSize, isLight(this.accent) ? INK : '#ffffff');
    const w = this.pdf.widthOfString(text);
    const top = y + size / 2 + ((CAP_HEIGHT / 2 - ASCENT) / 1000) * fontSize;
    this.pdf.text(text, x + (size - w) / 2, top, { lineBreak: false });
  }

  private identifiers(p: DocumentParty): string[] {
    const out: string[] = [];
    if (p.uid) out.push(`${this.l.uid(p.country)} ${p.uid}`);
    if (p.vatNumber) out.push(`${this.l.vatNumber(p.country)} ${p.vatNumber}`);
    return out;
  }

  // ── address window and meta block ─────────────────────────────────────────────────────────

  private addressAndMeta(): void {
    const { issuer, billTo } = this.doc;
    const windowTop = 45 * MM;
    const addressWidth = 80 * MM;
    // Return address: one small line at the top of the window.
    const returnParts = [issuer.name, issuer.street, `${issuer.postalCode} ${issuer.city}`.trim()].filter(
      (s) => s.trim(),
    );
    this.font(false, 6.5, MUTED);
    const returnLine = returnParts.join(' · ');
    this.pdf.text(returnLine, LEFT, windowTop + 2 * MM, {
      width: addressWidth,
      lineBreak: false,
      ellipsis: true,
      height: 9,
    });
    this.rule(
      windowTop + 2 * MM + 9,
      RULE,
      0.4,
      LEFT,
      LEFT + Math.min(addressWidth, this.pdf.widthOfString(returnLine)),
    );

    let y = windowTop + 8 * MM;
    this.font(true, 10);
    y += this.para(billTo.name, LEFT, y, addressWidth, { lineGap: 1 });
    this.font(false, 10);
    for (const line of billTo.lines) {
      if (line.trim()) y += this.para(line, LEFT, y, addressWidth, { lineGap: 1 });
    }

    // Meta block: label / value pairs beside the window.
    const x = 120 * MM;
    const labelWidth = 30 * MM;
    const valueWidth = RIGHT - x - labelWidth;
    const rows: [string, string][] = [];
    const kind = this.doc.kind;
    rows.push([this.l.number[kind], this.doc.number ?? this.l.draft]);
    rows.push([this.l.issuedOn, this.fmt.date(this.doc.issuedOn)]);
    if (this.doc.dueOn && kind !== 'credit_note') rows.push([this.l.dueOn, this.fmt.date(this.doc.dueOn)]);
    if (billTo.uid) rows.push([this.l.customerUid, billTo.uid]);
    if (billTo.vatNumber) rows.push([this.l.customerVat, billTo.vatNumber]);
    // Beside the window, below a tall issuer block if need be.
    let my = Math.max(windowTop + 8 * MM, this.headerBottom + 4 * MM);
    for (const [label, value] of rows) {
      this.font(false, 8.5, MUTED);
      const h1 = this.para(label, x, my, labelWidth - 4, { lineGap: 0.5 });
      this.font(label === this.l.number[kind], 9);
      const h2 = this.para(value, x + labelWidth, my, valueWidth, { lineGap: 0.5 });
      my += Math.max(h1, h2) + 3;
    }
    // The title starts below the window (45–90 mm), whatever the address's length.
    this.y = Math.max(y, my, 88 * MM) + 6 * MM;
  }

  // ── title ─────────────────────────────────────────────────────────────────────────────────

  private title(): void {
    this.font(true, 17);
    this.y += this.para(this.documentTitle(), LEFT, this.y, WIDTH, { lineGap: 0 });
    const mentions: string[] = [];
    if (this.doc.kind === 'pro_forma') mentions.push(this.l.proFormaMention);
    if (this.doc.kind === 'credit_note' && this.doc.correctsNumber) {
      mentions.push(this.l.correctsInvoice(this.doc.correctsNumber));
    }
    if (mentions.length) {
      this.y += 2;
      this.font(false, BASE_SIZE, MUTED);
      for (const m of mentions) this.y += this.para(m, LEFT, this.y, WIDTH);
    }
    this.y += 5 * MM;
  }

  // ── lines table ───────────────────────────────────────────────────────────────────────────

  private columns(): { key: ColumnKey; label: string; width: number; align: 'left' | 'right' }[] {
    const hasDiscount = this.doc.lines.some((line) => line.discountBp !== 0);
    const cols: { key: ColumnKey; label: string; width: number; align: 'left' | 'right' }[] = [
      { key: 'description', label: this.l.description, width: 0, align: 'left' },
      { key: 'quantity', label: this.l.quantity, width: 17 * MM, align: 'right' },
      { key: 'unitPrice', label: this.l.unitPrice, width: 26 * MM, align: 'right' },
    ];
    if (hasDiscount) cols.push({ key: 'discount', label: this.l.discount, width: 16 * MM, align: 'right' });
    cols.push({ key: 'vatRate', label: this.l.vatRate, width: 15 * MM, align: 'right' });
    cols.push({ key: 'amount', label: this.l.amount(this.doc.currency), width: 28 * MM, align: 'right' });
    const fixed = cols.reduce((sum, c) => sum + c.width, 0);
    (cols[0] as { width: number }).width = WIDTH - fixed;
    return cols;
  }

  private tableHeader(cols: ReturnType<InvoiceLayout['columns']>): void {
    const height = this.lineHeight(8) + 2 * CELL_PAD_Y;
    this.pdf.save().rect(LEFT, this.y, WIDTH, height).fill(HEADER_FILL).restore();
    this.font(true, 8, MUTED);
    let x = LEFT;
    for (const c of cols) {
      this.put(c.label, x + CELL_PAD_X, this.y + CELL_PAD_Y, c.align, c.width - 2 * CELL_PAD_X);
      x += c.width;
    }
    this.y += height;
  }

  private cellText(key: ColumnKey, line: InvoiceDocumentLine): string {
    switch (key) {
      case 'description':
        return line.description;
      case 'quantity':
        return this.fmt.quantity(line.quantityMilli);
      case 'unitPrice':
        return this.fmt.amount(line.unitPriceMinor);
      case 'discount':
        return line.discountBp ? this.fmt.percent(line.discountBp) : '';
      case 'vatRate':
        return this.fmt.percent(line.vatRateBp);
      case 'amount':
        return this.fmt.amount(line.netMinor);
    }
  }

  private linesTable(): void {
    const cols = this.columns();
    const descWidth = (cols[0]?.width ?? WIDTH) - 2 * CELL_PAD_X;
    const oneLine = this.lineHeight(BASE_SIZE);
    const headerHeight = this.lineHeight(8) + 2 * CELL_PAD_Y;
    // A page holds at least the header and one row; a row taller than a page is cut.
    const maxRow = CONTENT_BOTTOM - CONTINUATION_TOP - headerHeight;
    this.ensure(headerHeight + oneLine + 2 * CELL_PAD_Y);
    this.tableHeader(cols);
    for (const line of this.doc.lines) {
      this.font(false, BASE_SIZE);
      const description = line.description || ' ';
      // Most descriptions fit on one line: drawn without pdfkit's line wrapper (twice faster).
      const single = !description.includes('\n') && this.pdf.widthOfString(description) <= descWidth;
      const descHeight = single
        ? oneLine
        : Math.min(this.measure(description, descWidth), maxRow - 2 * CELL_PAD_Y);
      const rowHeight = Math.max(descHeight, oneLine) + 2 * CELL_PAD_Y;
      if (this.ensure(rowHeight)) this.tableHeader(cols);
      this.font(false, BASE_SIZE);
      let x = LEFT;
      for (const c of cols) {
        const text = this.cellText(c.key, line);
        if (c.key === 'description' && single) {
          this.put(text, x + CELL_PAD_X, this.y + CELL_PAD_Y);
        } else if (c.key === 'description') {
          this.para(text, x + CELL_PAD_X, this.y + CELL_PAD_Y, descWidth, {
            height: descHeight + 1,
            ellipsis: true,
          });
        } else if (text) {
          this.put(text, x + CELL_PAD_X, this.y + CELL_PAD_Y, c.align, c.width - 2 * CELL_PAD_X);
        }
        x += c.width;
      }
      this.y += rowHeight;
      this.rule(this.y);
    }
    this.y += 5 * MM;
  }

  // ── VAT summary and totals ────────────────────────────────────────────────────────────────

  private summaryAndTotals(): void {
    const { totals, kind } = this.doc;
    const rowGap = 4;
    const rowHeight = this.lineHeight(BASE_SIZE) + rowGap;
    const rows: { label: string; value: string; strong?: boolean; big?: boolean; ruleAbove?: boolean }[] = [
      { label: this.l.totalNet, value: this.fmt.money(totals.netMinor) },
      { label: this.l.totalVat, value: this.fmt.money(totals.vatMinor) },
    ];
    // Paid and amount due only once something was paid: until then the total is what is due.
    const settled =
      kind !== 'credit_note' && (totals.paidMinor !== 0 || totals.dueMinor !== totals.grossMinor);
    rows.push({
      label: kind === 'credit_note' ? this.l.totalCredit : this.l.totalGross,
      value: this.fmt.money(totals.grossMinor),
      strong: true,
      big: !settled,
      ruleAbove: true,
    });
    if (settled) {
      rows.push({ label: this.l.paid, value: this.fmt.money(totals.paidMinor) });
      rows.push({
        label: this.l.due,
        value: this.fmt.money(totals.dueMinor),
        strong: true,
        big: true,
        ruleAbove: true,
      });
    }
    const summary = this.doc.vatSummary;
    const totalsHeight = rows.reduce(
      (h, r) => h + (r.big ? this.lineHeight(11) + rowGap + 3 : rowHeight) + (r.ruleAbove ? 5 : 0),
      0,
    );
    const summaryHeight = summary.length
      ? this.lineHeight(8) + 2 * CELL_PAD_Y + summary.length * rowHeight
      : 0;
    this.ensure(Math.max(totalsHeight, summaryHeight) + 4);
    const top = this.y;

    // VAT summary per rate, left.
    if (summary.length) {
      const widths = [20 * MM, 28 * MM, 25 * MM];
      const x0 = LEFT;
      const w = widths.reduce((a, b) => a + b, 0);
      const head = this.lineHeight(8) + 2 * CELL_PAD_Y;
      this.pdf.save().rect(x0, top, w, head).fill(HEADER_FILL).restore();
      this.font(true, 8, MUTED);
      const heads = [this.l.vatRate, this.l.vatBase, this.l.vatAmount];
      let x = x0;
      heads.forEach((h, i) => {
        const cw = widths[i] as number;
        this.put(h, x + CELL_PAD_X, top + CELL_PAD_Y, i === 0 ? 'left' : 'right', cw - 2 * CELL_PAD_X);
        x += cw;
      });
      let y = top + head + 2;
      this.font(false, BASE_SIZE);
      for (const s of summary) {
        const cells = [
          this.fmt.percent(s.vatRateBp),
          this.fmt.amount(s.netMinor),
          this.fmt.amount(s.vatMinor),
        ];
        x = x0;
        cells.forEach((c, i) => {
          const cw = widths[i] as number;
          this.put(c, x + CELL_PAD_X, y, i === 0 ? 'left' : 'right', cw - 2 * CELL_PAD_X);
          x += cw;
        });
        y += rowHeight;
      }
    }

    // Totals, right.
    const tw = 82 * MM;
    const tx = RIGHT - tw;
    let y = top + 1;
    for (const r of rows) {
      if (r.ruleAbove) {
        this.rule(y, r.big ? this.accent : RULE, r.big ? 1.2 : 0.6, tx, RIGHT);
        y += 5;
      }
      const size = r.big ? 11 : BASE_SIZE;
      this.font(Boolean(r.strong), size, r.strong ? INK : MUTED);
      this.put(r.label, tx, y);
      this.font(Boolean(r.strong), size);
      this.put(r.value, tx, y, 'right', tw);
      y += r.big ? this.lineHeight(11) + rowGap + 3 : rowHeight;
    }
    this.y = Math.max(y, top + summaryHeight) + 5 * MM;
  }

  // ── mentions, payment, notes ──────────────────────────────────────────────────────────────

  private block(heading: string | null, body: string, options: { accentBar?: boolean } = {}): void {
    const indent = options.accentBar ? 3 * MM : 0;
    const width = WIDTH - indent;
    this.font(false, BASE_SIZE);
    const bodyHeight = this.measure(body, width);
    const headingHeight = heading ? this.lineHeight(BASE_SIZE) + 2 : 0;
    this.ensure(headingHeight + bodyHeight);
    const top = this.y;
    if (heading) {
      this.font(true, BASE_SIZE).put(heading, LEFT + indent, this.y);
      this.y += headingHeight;
    }
    this.font(false, BASE_SIZE);
    // A text longer than a page (unlikely) is cut with an ellipsis rather than let pdfkit add
    // pages the layout does not know about.
    this.y += this.para(body, LEFT + indent, this.y, width, {
      height: Math.min(bodyHeight + 1, CONTENT_BOTTOM - this.y),
      ellipsis: true,
    });
    if (options.accentBar) {
      this.pdf
        .save()
        .rect(LEFT, top, 1.5, this.y - top - 1.5)
        .fill(this.accent)
        .restore();
    }
    this.y += 4 * MM;
  }

  private mentions(): void {
    const { doc, l } = this;
    if (doc.reverseCharge) this.block(null, l.reverseCharge, { accentBar: true });
    if (doc.notes?.trim()) this.block(l.notes, doc.notes.trim());
  }

  /** The payment paragraph, or null when there is nothing to pay. */
  private paymentText(): string | null {
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
  private paymentAndQrBill(): void {
    const text = this.paymentText();
    if (!this.qr) {
      if (text) this.block(this.l.payment, text);
      return;
    }
    const qrTop = PAGE_H - QR_BILL_HEIGHT;
    // The footer moves above the payment part; it needs about 10 mm.
    if (this.y > qrTop - 10 * MM) {
      if (text) {
        this.font(false, BASE_SIZE);
        const height = this.lineHeight(BASE_SIZE) + 2 + this.measure(text, WIDTH);
        if (this.y + height <= CONTENT_BOTTOM) this.block(this.l.payment, text);
      }
      this.continuationPage();
    }
    const page = this.pages[this.pages.length - 1] as PageInfo;
    page.footerY = qrTop - 6 * MM;
    drawQrBill(this.pdf, this.qr, qrTop);
  }

  // ── footers ───────────────────────────────────────────────────────────────────────────────

  private footers(): void {
    const { issuer } = this.doc;
    const parts = [issuer.name, ...this.identifiers(issuer)];
    if (issuer.email) parts.push(issuer.email);
    const left = parts.join(' · ');
    const count = this.pages.length;
    this.pages.forEach((page, i) => {
      this.pdf.switchToPage(this.firstPageIndex + i);
      this.rule(page.footerY - 4, RULE, 0.5);
      const pageLabel = count > 1 ? this.l.page(i + 1, count) : '';
      this.font(false, 7, MUTED);
      const labelWidth = pageLabel ? this.pdf.widthOfString(pageLabel) + 6 * MM : 0;
      this.pdf.text(left, LEFT, page.footerY, {
        width: WIDTH - labelWidth,
        lineBreak: false,
        ellipsis: true,
        height: 10,
      });
      if (pageLabel) this.put(pageLabel, LEFT, page.footerY, 'right', WIDTH);
    });
  }
}

type ColumnKey = 'description' | 'quantity' | 'unitPrice' | 'discount' | 'vatRate' | 'amount';

function isSwiss(country: string): boolean {
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

// ── public API ──────────────────────────────────────────────────────────────────────────────

function newInvoicePdf(
  title: string,
  author: string,
  lang: string,
  options: RenderOptions,
): PDFKit.PDFDocument {
  return newPdfDocument({
    autoFirstPage: false,
    bufferPages: true,
    margin: 0,
    compress: options.compress ?? true,
    lang,
    info: { Title: title, Author: author, Creator: 'Kontor', Producer: 'Kontor (pdfkit)' },
  });
}

function pdfTitle(doc: InvoiceDocument): string {
  const l = documentLabels(doc.locale, isSwiss(doc.issuer.country));
  return doc.number ? `${l.title[doc.kind]} ${doc.number}` : `${l.title[doc.kind]} (${l.draftTitle})`;
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
  const done = new Promise<void>((resolve, reject) => {
    const stream = out as Writable;
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    pdf.once('error', reject);
  });
  pdf.pipe(out);
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
  const done = new Promise<void>((resolve, reject) => {
    const stream = out as Writable;
    stream.once('finish', () => resolve());
    stream.once('error', reject);
    pdf.once('error', reject);
  });
  pdf.pipe(out);
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
