// A4 page writing for Kontor's documents with pdfkit: the geometry, text primitives and the
// pagination the layout does itself (pdfkit is used with zero page margins and explicit
// coordinates, and never breaks a page by itself). It knows nothing of invoices: the caller
// says what a draft's watermark reads and what a continuation page repeats at its top.
import { FONT_BOLD, FONT_REGULAR } from './fonts';

// ── Geometry (points) ───────────────────────────────────────────────────────────────────────
export const MM = 72 / 25.4;
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const LEFT = 25 * MM;
export const RIGHT = PAGE_W - 20 * MM;
export const WIDTH = RIGHT - LEFT;
export const TOP = 15 * MM;
/** Content never goes below this line; the footer sits underneath. */
export const CONTENT_BOTTOM = PAGE_H - 24 * MM;
export const FOOTER_GAP = 10 * MM;
export const CONTINUATION_TOP = 30 * MM;

export const INK = '#1b1f24';
export const MUTED = '#5f6670';
export const RULE = '#d5d9de';
export const HEADER_FILL = '#f1f3f5';
export const DEFAULT_ACCENT = '#2f5d8a';

export const BASE_SIZE = 9;
export const CELL_PAD_X = 4;
export const CELL_PAD_Y = 4;

// Liberation Sans / Kontor Sans vertical metrics (per 1000 units), to centre text in boxes.
export const ASCENT = 905;
export const CAP_HEIGHT = 688;

export interface PageInfo {
  /** Top of the footer text on this page. */
  footerY: number;
}

export interface PageWriterOptions {
  /** Diagonal text on every page (a draft's DRAFT), or null. */
  watermark: string | null;
  /** What a further page repeats at its top: whose document (left) and which (right). */
  runningHead: { left: string; right: string };
  /** The issuer's colour, for accent bars and rules. */
  accent: string;
}

/** Writes pages into a pdfkit document (which may already hold other documents). */
export class PageWriter {
  readonly pages: PageInfo[] = [];
  readonly firstPageIndex: number;
  readonly accent: string;
  y = TOP;

  constructor(
    readonly pdf: PDFKit.PDFDocument,
    private readonly options: PageWriterOptions,
  ) {
    this.accent = options.accent;
    const range = pdf.bufferedPageRange();
    this.firstPageIndex = range.start + range.count;
  }

  // ── text helpers ──────────────────────────────────────────────────────────────────────────

  font(bold: boolean, size: number, color = INK): this {
    this.pdf
      .font(bold ? FONT_BOLD : FONT_REGULAR)
      .fontSize(size)
      .fillColor(color);
    return this;
  }

  /** One line, no wrapping (pdfkit's line wrapper is skipped: much faster for table cells). */
  put(text: string, x: number, y: number, align: 'left' | 'right' | 'center' = 'left', width = 0): void {
    let at = x;
    if (align !== 'left') {
      const w = this.pdf.widthOfString(text);
      at = align === 'right' ? x + width - w : x + (width - w) / 2;
    }
    this.pdf.text(text, at, y, { lineBreak: false });
  }

  /** Wrapped text; returns its height. */
  para(text: string, x: number, y: number, width: number, options: PDFKit.Mixins.TextOptions = {}): number {
    this.pdf.text(text, x, y, { width, lineGap: 1.5, ...options });
    return this.pdf.y - y;
  }

  measure(text: string, width: number, options: PDFKit.Mixins.TextOptions = {}): number {
    return this.pdf.heightOfString(text, { width, lineGap: 1.5, ...options });
  }

  lineHeight(size: number): number {
    this.pdf.fontSize(size);
    return this.pdf.currentLineHeight(true);
  }

  rule(y: number, color = RULE, width = 0.5, x0 = LEFT, x1 = RIGHT): void {
    this.pdf.save().moveTo(x0, y).lineTo(x1, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  // ── pages ─────────────────────────────────────────────────────────────────────────────────

  newPage(): void {
    this.pdf.addPage({ size: 'A4', margin: 0 });
    this.pages.push({ footerY: PAGE_H - FOOTER_GAP - 3 });
    if (this.options.watermark !== null) this.watermark(this.options.watermark);
    this.y = TOP;
  }

  /** A further page: a one-line reminder of whose document this is. */
  continuationPage(): void {
    this.newPage();
    const ref = this.options.runningHead.right;
    this.font(false, BASE_SIZE, MUTED).put(ref, LEFT, TOP, 'right', WIDTH);
    const refWidth = this.pdf.widthOfString(ref);
    this.font(true, BASE_SIZE);
    this.pdf.text(this.options.runningHead.left, LEFT, TOP, {
      width: Math.max(WIDTH - refWidth - 6 * MM, 20 * MM),
      lineBreak: false,
      ellipsis: true,
      height: 12,
    });
    this.rule(TOP + 14);
    this.y = CONTINUATION_TOP;
  }

  /** Makes sure `height` points fit below the current position, else continues on a new page. */
  ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.continuationPage();
    return true;
  }

  private watermark(text: string): void {
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

  /** A paragraph with an optional bold heading, kept on one page, optionally with an accent bar. */
  block(heading: string | null, body: string, options: { accentBar?: boolean } = {}): void {
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
}
