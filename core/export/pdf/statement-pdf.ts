// A statement of account as a one-table A4 PDF: who, as of when, each open invoice (number,
// dates, amount, what is still open) and the total open per currency. Same fonts and page
// geometry as the invoices (./fonts.ts, ./page-writer.ts); a long list continues on new pages.
import type { DocumentLocale } from '#common/enums';
import { statementWords } from '#common/i18n/statement-words';
import { documentFormatter } from './format';
import { endPdfDocument, FONT_BOLD, FONT_REGULAR, newPdfDocument } from './fonts';
import { CONTENT_BOTTOM, INK, LEFT, MM, MUTED, RIGHT, RULE, TOP, WIDTH } from './page-writer';

export interface StatementDocument {
  locale: DocumentLocale;
  asOf: string;
  issuer: { name: string; lines: string[] };
  customer: { name: string; lines: string[] };
  rows: {
    number: string;
    issuedOn: string;
    dueOn: string | null;
    currency: 'CHF' | 'EUR';
    grossMinor: number;
    openMinor: number;
  }[];
  totals: { currency: 'CHF' | 'EUR'; openMinor: number }[];
}

const COLS = [0, 0.36, 0.52, 0.68, 0.84].map((f) => LEFT + f * WIDTH);

export async function statementPdfBuffer(doc: StatementDocument): Promise<Buffer> {
  const w = statementWords[doc.locale];
  const pdf = newPdfDocument({ size: 'A4', margin: 0, info: { Title: `${w.title} ${doc.customer.name}` } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  const date = (iso: string | null) => (iso ? documentFormatter(doc.locale, 'CHF').date(iso) : '');
  let y = TOP;
  const text = (
    s: string,
    x: number,
    at: number,
    opts: PDFKit.Mixins.TextOptions = {},
    bold = false,
    color = INK,
  ) => {
    pdf
      .font(bold ? FONT_BOLD : FONT_REGULAR)
      .fillColor(color)
      .text(s, x, at, { lineBreak: false, ...opts });
  };
  pdf.fontSize(9);
  text(doc.issuer.name, LEFT, y, {}, true);
  for (const [i, l] of doc.issuer.lines.entries()) text(l, LEFT, y + 12 * (i + 1), {}, false, MUTED);
  y += 12 * (doc.issuer.lines.length + 1) + 10 * MM;
  text(doc.customer.name, LEFT, y, {}, true);
  for (const [i, l] of doc.customer.lines.entries()) text(l, LEFT, y + 12 * (i + 1));
  y += 12 * (doc.customer.lines.length + 1) + 10 * MM;
  pdf.fontSize(15);
  text(w.title, LEFT, y, {}, true);
  pdf.fontSize(9);
  text(`${w.asOf} ${date(doc.asOf)}`, LEFT, y + 20, {}, false, MUTED);
  y += 40;
  const header = () => {
    const right = { width: COLS[4] !== undefined ? RIGHT - (COLS[4] as number) : 0, align: 'right' as const };
    text(w.number, COLS[0] as number, y, {}, true);
    text(w.issued, COLS[1] as number, y, {}, true);
    text(w.due, COLS[2] as number, y, {}, true);
    text(
      w.total,
      COLS[3] as number,
      y,
      { width: (COLS[4] as number) - (COLS[3] as number) - 6, align: 'right' },
      true,
    );
    text(w.open, COLS[4] as number, y, right, true);
    y += 14;
    pdf
      .moveTo(LEFT, y - 3)
      .lineTo(RIGHT, y - 3)
      .strokeColor(RULE)
      .lineWidth(0.5)
      .stroke();
  };
  header();
  if (doc.rows.length === 0) {
    text(w.nothingOpen, LEFT, y + 4);
    y += 18;
  }
  for (const row of doc.rows) {
    if (y > CONTENT_BOTTOM - 20) {
      pdf.addPage({ size: 'A4', margin: 0 });
      y = TOP;
      header();
    }
    const f = documentFormatter(doc.locale, row.currency);
    text(row.number, COLS[0] as number, y, {
      width: (COLS[1] as number) - (COLS[0] as number) - 6,
      ellipsis: true,
    });
    text(date(row.issuedOn), COLS[1] as number, y);
    text(date(row.dueOn), COLS[2] as number, y);
    text(f.money(row.grossMinor), COLS[3] as number, y, {
      width: (COLS[4] as number) - (COLS[3] as number) - 6,
      align: 'right',
    });
    text(f.money(row.openMinor), COLS[4] as number, y, {
      width: RIGHT - (COLS[4] as number),
      align: 'right',
    });
    y += 14;
  }
  pdf.moveTo(LEFT, y).lineTo(RIGHT, y).strokeColor(RULE).lineWidth(0.5).stroke();
  y += 6;
  for (const total of doc.totals) {
    const f = documentFormatter(doc.locale, total.currency);
    text(
      w.totalOpen,
      COLS[3] as number,
      y,
      { width: (COLS[4] as number) - (COLS[3] as number) - 6, align: 'right' },
      true,
    );
    text(
      f.money(total.openMinor),
      COLS[4] as number,
      y,
      { width: RIGHT - (COLS[4] as number), align: 'right' },
      true,
    );
    y += 14;
  }
  endPdfDocument(pdf);
  return done;
}
