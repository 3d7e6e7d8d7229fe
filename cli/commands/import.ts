import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportReport } from '#core/services/imports.service';
import type { CliContext } from '../main';
import { callOrThrow, CliApiError, openForCli } from '../open';
import { UsageError } from '../usage';

const USAGE =
  'usage: kontor import organizations|products|invoices FILE [--dry-run] [--only-valid] [--delimiter ;] [--date-format dd.mm.yyyy] [--decimal ,]';
const DATE_FORMATS = ['yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy'];

export async function runImport(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      'dry-run': { type: 'boolean' },
      'only-valid': { type: 'boolean' },
      delimiter: { type: 'string' },
      'date-format': { type: 'string' },
      decimal: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [kind, file] = positionals;
  if (!kind || !['organizations', 'products', 'invoices'].includes(kind) || !file || positionals.length !== 2)
    throw new UsageError(USAGE);
  const delimiter = values.delimiter === '\\t' || values.delimiter === 'tab' ? '\t' : values.delimiter;
  if (delimiter !== undefined && ![',', ';', '\t', '|'].includes(delimiter))
    throw new UsageError('--delimiter must be , ; | or tab');
  if (values['date-format'] !== undefined && !DATE_FORMATS.includes(values['date-format'])) {
    throw new UsageError(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
  }
  if (values.decimal !== undefined && !['.', ','].includes(values.decimal))
    throw new UsageError('--decimal must be . or ,');
  const kontor = openForCli(ctx);
  try {
    const report = await callOrThrow<ImportReport>(kontor, ctx, 'imports.run', {
      kind,
      file: path.resolve(file),
      delimiter,
      dateFormat: values['date-format'],
      decimal: values.decimal,
      dryRun: values['dry-run'] ?? false,
      onlyValid: values['only-valid'] ?? false,
      locale: ctx.locale.slice(0, 2) === 'fr' ? 'fr' : ctx.locale.slice(0, 2) === 'de' ? 'de' : 'en',
    });
    if (values.json) ctx.out(JSON.stringify(report, null, 2));
    else {
      for (const error of report.errors) ctx.err(error.message);
      const verb = report.dryRun ? 'would import' : 'imported';
      ctx.out(
        report.refused
          ? `nothing imported: ${report.errors.length} error(s) in ${report.totalRows} rows (use --only-valid to import the valid rows)`
          : `${verb} ${report.imported} of ${report.totalRows} rows${report.skipped ? `, skipped ${report.skipped}` : ''}`,
      );
    }
    return report.errors.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof CliApiError) {
      ctx.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    kontor.close();
  }
}
