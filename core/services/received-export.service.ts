// Received documents in the accountant's CSV or XLSX, through the same writers and profiles as
// the issued invoices (formula guard, typed cells, per-currency totals): a credit note counts
// negative, so a column's sum is what the organization really owes its suppliers.
import { formatIban } from '#common/payment-reference';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { organizations, receivedDocuments } from '#db/schema/index';
import type { Currency } from '#db/schema/index';
import { exportWords } from '#common/i18n/exports';
import { translate } from '#common/i18n/translate';
import type { ReceivedExport, ReceivedFilters } from '#common/received.schema';
import type { Column, ExportLocale } from '../export/csv/columns';
import { type CsvProfileId, writeCsv } from '../export/csv/csv-writer';
import { currencyColumn, date, money, text } from '../export/invoice-columns';
import { writeXlsx } from '../export/xlsx/xlsx-writer';
import type { Ctx } from './context';
import type { ExportRunOptions } from './exports.service';
import { receivedWhere } from './received.service';

export interface ReceivedExportRow {
  number: string;
  kind: string;
  issuedOn: string;
  dueOn: string | null;
  paidOn: string | null;
  seller: string;
  sellerVatId: string;
  organization: string;
  currency: Currency;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  payableMinor: number;
  paymentReference: string;
  iban: string;
  format: string;
}

export const RECEIVED_COLUMNS: Column<ReceivedExportRow>[] = [
  text('number', 'number', (r) => r.number, 26),
  text('kind', 'kind', (r) => r.kind, 12),
  date('issuedOn', (r) => r.issuedOn),
  date('dueOn', (r) => r.dueOn),
  date('paidOn', (r) => r.paidOn),
  text('seller', 'seller', (r) => r.seller, 32),
  text('sellerVatNumber', 'sellerVatNumber', (r) => r.sellerVatId, 18),
  text('organization', 'organization', (r) => r.organization, 32),
  currencyColumn(),
  money('net', 'net', (r) => r.netMinor),
  money('vat', 'vat', (r) => r.vatMinor, 12),
  money('gross', 'gross', (r) => r.grossMinor),
  money('payable', 'payable', (r) => r.payableMinor),
  text('reference', 'paymentReference', (r) => r.paymentReference, 32),
  text('payTo', 'payTo', (r) => r.iban, 32),
  text('format', 'format', (r) => r.format, 10),
];

/** The filtered received documents, oldest first, in keyset chunks (the connection stays free between them). */
export async function* receivedExportRows(
  ctx: Ctx,
  filters: ReceivedFilters,
  chunk = 2_000,
): AsyncGenerator<ReceivedExportRow> {
  let after: [string, string] | null = null;
  for (;;) {
    const where = receivedWhere(filters);
    if (after)
      where.push(sql`(${receivedDocuments.issuedOn}, ${receivedDocuments.id}) > (${after[0]}, ${after[1]})`);
    const rows = ctx.db
      .select({
        id: receivedDocuments.id,
        number: receivedDocuments.number,
        creditNote: receivedDocuments.creditNote,
        issuedOn: receivedDocuments.issuedOn,
        dueOn: receivedDocuments.dueOn,
        paidOn: receivedDocuments.paidOn,
        seller: receivedDocuments.sellerName,
        sellerVatId: receivedDocuments.sellerVatId,
        organization: organizations.name,
        currency: receivedDocuments.currency,
        netMinor: receivedDocuments.netMinor,
        vatMinor: receivedDocuments.vatMinor,
        grossMinor: receivedDocuments.grossMinor,
        payableMinor: receivedDocuments.payableMinor,
        paymentReference: receivedDocuments.paymentReference,
        iban: receivedDocuments.iban,
        format: receivedDocuments.format,
      })
      .from(receivedDocuments)
      .leftJoin(organizations, eq(organizations.id, receivedDocuments.organizationId))
      .where(and(...where))
      .orderBy(asc(receivedDocuments.issuedOn), asc(receivedDocuments.id))
      .limit(chunk)
      .all();
    for (const r of rows) {
      const sign = r.creditNote ? -1 : 1;
      yield {
        number: r.number,
        kind: r.creditNote ? 'credit_note' : 'invoice',
        issuedOn: r.issuedOn,
        dueOn: r.dueOn,
        paidOn: r.paidOn,
        seller: r.seller,
        sellerVatId: r.sellerVatId ?? '',
        organization: r.organization ?? '',
        currency: r.currency,
        netMinor: sign * r.netMinor,
        vatMinor: sign * r.vatMinor,
        grossMinor: sign * r.grossMinor,
        payableMinor: sign * r.payableMinor,
        paymentReference: r.paymentReference ?? '',
        iban: r.iban ? formatIban(r.iban) : '',
        format: r.format,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < chunk) return;
    after = [last.issuedOn, last.id];
  }
}

/** The export into a stream (a download, or the CLI's --out). */
export async function streamReceived(
  ctx: Ctx,
  input: z.infer<typeof ReceivedExport>,
  out: NodeJS.WritableStream,
  options: ExportRunOptions = {},
): Promise<{ rows: number }> {
  const rows = receivedExportRows(ctx, input.filters);
  const locale = input.locale as ExportLocale;
  if (input.format === 'csv') {
    const result = await writeCsv(rows, RECEIVED_COLUMNS, input.profile as CsvProfileId, out, {
      locale,
      signal: options.signal,
    });
    out.end();
    return result;
  }
  return writeXlsx<[ReceivedExportRow]>(
    [
      {
        name: translate(exportWords, locale, 'sheet.received'),
        columns: RECEIVED_COLUMNS,
        rows,
        totals: true,
      },
    ],
    out,
    { locale, signal: options.signal },
  );
}
