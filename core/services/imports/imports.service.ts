import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { fail } from '#common/errors';
import { resolveLocale } from '#common/i18n/locale';
import { invoices } from '#db/schema/index';
import {
  analyseImport,
  type DateFormat,
  type DecimalMark,
  decode,
  detectEncoding,
  type ImportPreview,
  notText,
  parseCsv,
  previewImport,
  validateRows,
} from '../../import/csv-import';
import { importErrorMessage } from '../../import/import-messages';
import type { Ctx } from '../context';
import {
  checkFile,
  type ImportReport,
  type PreviewImport,
  Rollback,
  type RowError,
  type RunImport,
  rowFailure,
  summaryOf,
} from './report';
import { importRow } from './records';
import { runInvoiceImport } from './invoice-import';

export { PreviewImport, RunImport } from './report';
export type { ImportReport, RowError } from './report';

function bytesOf(input: { contentBase64: string }): Buffer {
  return Buffer.from(input.contentBase64, 'base64');
}

export function previewImportFile(
  _ctx: Ctx,
  input: z.infer<typeof PreviewImport>,
): ImportPreview & { messages: string[] } {
  const preview = previewImport(bytesOf(input), input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const locale = resolveLocale(input.locale);
  return { ...preview, messages: preview.errors.map((e) => importErrorMessage(e, input.kind, locale)) };
}

/**
 * Imports a CSV file: every row is parsed, validated and then written through the same rules
 * as a person typing it (VAT numbers checked, tag names unique…). All or nothing by default:
 * a file with any bad row writes nothing and reports every bad row with its line number.
 * The dates' format is never guessed: an ambiguous file needs `dateFormat`. Invoices stream
 * through the bulk path (invoice-import.ts); organizations and products go row by row.
 */
export function runImport(ctx: Ctx, input: z.infer<typeof RunImport>): ImportReport {
  const locale = resolveLocale(input.locale);
  const bytes = bytesOf(input);
  const encoding = detectEncoding(bytes);
  if (bytes.length === 0) fail('import_empty');
  const early = notText(bytes, encoding);
  if (early) fail('import_not_text', { what: early });
  const text = decode(bytes, encoding);
  if (input.kind === 'invoices') return runInvoiceImport(ctx, input, { bytes, encoding, text }, locale);

  const parsed = parseCsv(text, input.delimiter ? { delimiter: input.delimiter } : {});
  checkFile(bytes, encoding, parsed, input.delimiter);
  // One parse, one check of every row: the preview's validation is the import's when the
  // formats are settled.
  const analysed = analyseImport(parsed, encoding, input.kind, {
    delimiter: input.delimiter,
    mapping: input.mapping,
    dateFormat: input.dateFormat,
    decimal: input.decimal,
  });
  const preview = analysed.preview;
  if (!preview.dateFormat) {
    fail('import_date_format_needed', { candidates: preview.dateFormatCandidates.join(', ') });
  }
  if (!preview.decimal && !input.decimal) {
    fail('import_decimal_needed', {
      candidates: (preview.decimalCandidates.length ? preview.decimalCandidates : ['.', ',']).join(' '),
    });
  }
  const validation = preview.decimal
    ? analysed.validation
    : validateRows(input.kind, parsed, preview.mapping, {
        dateFormat: preview.dateFormat as DateFormat,
        decimal: input.decimal as DecimalMark,
      });
  const errors: RowError[] = validation.errors.map((e) => ({
    line: e.line,
    field: e.field,
    code: e.code,
    value: e.value,
    message: importErrorMessage(e, input.kind, locale),
  }));
  const report: Omit<ImportReport, 'summary'> = {
    kind: input.kind,
    dryRun: input.dryRun,
    totalRows: parsed.rows.length,
    imported: 0,
    skipped: 0,
    errors,
    refused: false,
  };
  const rowFailed = rowFailure(errors, locale, input.kind);
  try {
    ctx.raw.transaction(() => {
      for (const row of validation.valid) {
        try {
          // Each row is its own savepoint: with onlyValid, a refused row leaves no trace.
          ctx.raw.transaction(() => importRow(ctx, input.kind, row.values, input))();
          report.imported++;
        } catch (error) {
          rowFailed(row.line, null, error);
        }
      }
      errors.sort((a, b) => a.line - b.line);
      if (errors.length > 0 && !input.onlyValid) throw new Rollback();
      if (input.dryRun) throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (errors.length > 0 && !input.onlyValid) {
      report.refused = true;
      report.imported = 0;
    }
  }
  const badLines = new Set(errors.map((e) => e.line));
  report.skipped = input.onlyValid ? badLines.size : report.refused ? report.totalRows : 0;
  return { ...report, summary: summaryOf(report, locale) };
}

export function importedInvoiceCount(ctx: Ctx): number {
  return (
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(invoices)
      .where(sql`${invoices.importRef} is not null`)
      .get()?.n ?? 0
  );
}
