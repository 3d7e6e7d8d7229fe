// The invoice's two tables: the lines (continued on further pages under a repeated header)
// and, side by side, the VAT summary per rate and the totals.
import type { InvoiceDocument, InvoiceDocumentLine } from '../invoice-document';
import type { DocumentFormatter } from './format';
import type { DocumentLabels } from './labels';
import {
  BASE_SIZE,
  CELL_PAD_X,
  CELL_PAD_Y,
  CONTENT_BOTTOM,
  CONTINUATION_TOP,
  HEADER_FILL,
  INK,
  LEFT,
  MM,
  MUTED,
  type PageWriter,
  RIGHT,
  RULE,
  WIDTH,
} from './page-writer';

type ColumnKey = 'description' | 'quantity' | 'unitPrice' | 'discount' | 'vatRate' | 'amount';

export class InvoiceTables {
  constructor(
    private readonly w: PageWriter,
    private readonly doc: InvoiceDocument,
    private readonly fmt: DocumentFormatter,
    private readonly l: DocumentLabels,
  ) {}

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

  private tableHeader(cols: ReturnType<InvoiceTables['columns']>): void {
    const height = this.w.lineHeight(8) + 2 * CELL_PAD_Y;
    this.w.pdf.save().rect(LEFT, this.w.y, WIDTH, height).fill(HEADER_FILL).restore();
    this.w.font(true, 8, MUTED);
    let x = LEFT;
    for (const c of cols) {
      this.w.put(c.label, x + CELL_PAD_X, this.w.y + CELL_PAD_Y, c.align, c.width - 2 * CELL_PAD_X);
      x += c.width;
    }
    this.w.y += height;
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

  linesTable(): void {
    const cols = this.columns();
    const descWidth = (cols[0]?.width ?? WIDTH) - 2 * CELL_PAD_X;
    const oneLine = this.w.lineHeight(BASE_SIZE);
    const headerHeight = this.w.lineHeight(8) + 2 * CELL_PAD_Y;
    // A page holds at least the header and one row; a row taller than a page is cut.
    const maxRow = CONTENT_BOTTOM - CONTINUATION_TOP - headerHeight;
    this.w.ensure(headerHeight + oneLine + 2 * CELL_PAD_Y);
    this.tableHeader(cols);
    for (const line of this.doc.lines) {
      this.w.font(false, BASE_SIZE);
      const description = line.description || ' ';
      // Most descriptions fit on one line: drawn without pdfkit's line wrapper (twice faster).
      const single = !description.includes('\n') && this.w.pdf.widthOfString(description) <= descWidth;
      const descHeight = single
        ? oneLine
        : Math.min(this.w.measure(description, descWidth), maxRow - 2 * CELL_PAD_Y);
      const rowHeight = Math.max(descHeight, oneLine) + 2 * CELL_PAD_Y;
      if (this.w.ensure(rowHeight)) this.tableHeader(cols);
      this.w.font(false, BASE_SIZE);
      let x = LEFT;
      for (const c of cols) {
        const text = this.cellText(c.key, line);
        if (c.key === 'description' && single) {
          this.w.put(text, x + CELL_PAD_X, this.w.y + CELL_PAD_Y);
        } else if (c.key === 'description') {
          this.w.para(text, x + CELL_PAD_X, this.w.y + CELL_PAD_Y, descWidth, {
            height: descHeight + 1,
            ellipsis: true,
          });
        } else if (text) {
          this.w.put(text, x + CELL_PAD_X, this.w.y + CELL_PAD_Y, c.align, c.width - 2 * CELL_PAD_X);
        }
        x += c.width;
      }
      this.w.y += rowHeight;
      this.w.rule(this.w.y);
    }
    this.w.y += 5 * MM;
  }

  // ── VAT summary and totals ────────────────────────────────────────────────────────────────

  summaryAndTotals(): void {
    const { totals, kind } = this.doc;
    const rowGap = 4;
    const rowHeight = this.w.lineHeight(BASE_SIZE) + rowGap;
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
      (h, r) => h + (r.big ? this.w.lineHeight(11) + rowGap + 3 : rowHeight) + (r.ruleAbove ? 5 : 0),
      0,
    );
    const summaryHeight = summary.length
      ? this.w.lineHeight(8) + 2 * CELL_PAD_Y + summary.length * rowHeight
      : 0;
    this.w.ensure(Math.max(totalsHeight, summaryHeight) + 4);
    const top = this.w.y;

    // VAT summary per rate, left.
    if (summary.length) {
      const widths = [20 * MM, 28 * MM, 25 * MM];
      const x0 = LEFT;
      const w = widths.reduce((a, b) => a + b, 0);
      const head = this.w.lineHeight(8) + 2 * CELL_PAD_Y;
      this.w.pdf.save().rect(x0, top, w, head).fill(HEADER_FILL).restore();
      this.w.font(true, 8, MUTED);
      const heads = [this.l.vatRate, this.l.vatBase, this.l.vatAmount];
      let x = x0;
      heads.forEach((h, i) => {
        const cw = widths[i] as number;
        this.w.put(h, x + CELL_PAD_X, top + CELL_PAD_Y, i === 0 ? 'left' : 'right', cw - 2 * CELL_PAD_X);
        x += cw;
      });
      let y = top + head + 2;
      this.w.font(false, BASE_SIZE);
      for (const s of summary) {
        const cells = [
          this.fmt.percent(s.vatRateBp),
          this.fmt.amount(s.netMinor),
          this.fmt.amount(s.vatMinor),
        ];
        x = x0;
        cells.forEach((c, i) => {
          const cw = widths[i] as number;
          this.w.put(c, x + CELL_PAD_X, y, i === 0 ? 'left' : 'right', cw - 2 * CELL_PAD_X);
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
        this.w.rule(y, r.big ? this.w.accent : RULE, r.big ? 1.2 : 0.6, tx, RIGHT);
        y += 5;
      }
      const size = r.big ? 11 : BASE_SIZE;
      this.w.font(Boolean(r.strong), size, r.strong ? INK : MUTED);
      this.w.put(r.label, tx, y);
      this.w.font(Boolean(r.strong), size);
      this.w.put(r.value, tx, y, 'right', tw);
      y += r.big ? this.w.lineHeight(11) + rowGap + 3 : rowHeight;
    }
    this.w.y = Math.max(y, top + summaryHeight) + 5 * MM;
  }
}
