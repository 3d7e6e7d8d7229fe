import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { oneOf, usageError } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';

const USAGE =
  'usage: kontor import organizations|products|invoices FILE [--dry-run] [--only-valid] [--delimiter ;] [--date-format dd.mm.yyyy] [--decimal ,] [--issuer ORG_ID] [--accept-vat-rates] [--accept-currencies] [--accept-duplicate-tax-ids]';
const DATE_FORMATS = ['yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy'] as const;
const KINDS = ['organizations', 'products', 'invoices'] as const;
const DELIMITERS = [',', ';', '\t', '|'] as const;
const DECIMALS = ['.', ','] as const;

export async function runImport(ctx: CliContext): Promise<number> {
  if (ctx.args[0] === 'einvoice') return (await import('./import-einvoice')).runImportEinvoice(ctx);
  if (ctx.args[0] === 'statement') return (await import('./import-statement')).runImportStatement(ctx);
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      'dry-run': { type: 'boolean' },
      'only-valid': { type: 'boolean' },
      delimiter: { type: 'string' },
      'date-format': { type: 'string' },
      decimal: { type: 'string' },
      json: { type: 'boolean' },
      issuer: { type: 'string' },
      // The checks a person may overrule; each refusal names its flag.
      'accept-vat-rates': { type: 'boolean' },
      'accept-currencies': { type: 'boolean' },
      'accept-duplicate-tax-ids': { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [kindArg, file] = positionals;
  if (!kindArg || !file || positionals.length !== 2) throw new UsageError(USAGE);
  // The words a person types become the method's values here; their parsing is the router's.
  const kind = oneOf(ctx, 'kind', kindArg, KINDS);
  const delimiter =
    values.delimiter === undefined
      ? undefined
      : oneOf(
          ctx,
          'delimiter',
          values.delimiter === '\\t' || values.delimiter === 'tab' ? '\t' : values.delimiter,
          DELIMITERS,
        );
  const dateFormat =
    values['date-format'] === undefined
      ? undefined
      : oneOf(ctx, 'date-format', values['date-format'], DATE_FORMATS);
  const decimal = values.decimal === undefined ? undefined : oneOf(ctx, 'decimal', values.decimal, DECIMALS);
  if (!fs.existsSync(file)) throw usageError(ctx, 'not_found', { file });
  return withKontor(ctx, async (kontor) => {
    const report = await callOrThrow(kontor, ctx, 'imports.run', {
      kind,
      // The file is read here: the method takes content, never a path.
      contentBase64: fs.readFileSync(path.resolve(file)).toString('base64'),
      delimiter,
      dateFormat,
      decimal,
      dryRun: values['dry-run'] ?? false,
      onlyValid: values['only-valid'] ?? false,
      issuerOrganizationId: values.issuer,
      acceptVatRates: values['accept-vat-rates'] ?? false,
      acceptCurrencies: values['accept-currencies'] ?? false,
      acceptDuplicateTaxIds: values['accept-duplicate-tax-ids'] ?? false,
      locale: ctx.locale.slice(0, 2) === 'fr' ? 'fr' : ctx.locale.slice(0, 2) === 'de' ? 'de' : 'en',
    });
    if (values.json) ctx.out(JSON.stringify(report, null, 2));
    else {
      for (const error of report.errors) ctx.err(error.message);
      // The closing line comes translated from the import itself (en/fr/de).
      ctx.out(report.summary);
    }
    return report.errors.length > 0 ? 1 : 0;
  });
}
