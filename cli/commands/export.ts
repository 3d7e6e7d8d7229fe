import path from 'node:path';
import { parseArgs } from 'node:util';
import { CSV_PROFILE_IDS, EINVOICE_FILE_FORMATS } from '#common/invoices.schema';
import { documentLocaleOr, oneOf } from '../flags';
import type { CliContext } from '../main';
import { runJob, saveTo, withKontor } from '../open';
import { UsageError } from '../usage';
import { runExportClients } from './export-clients';
import { FILTER_OPTIONS, filtersFrom } from './invoices';

const EXPORT_USAGE =
  'usage: kontor export invoices --format csv|xlsx --out FILE [--profile spreadsheet|excel-fr|excel-ch|excel-de|excel-it] [--locale-doc en|fr|de|it] [--status S] [--from D] [--to D] [--org ID] [--as ORG_ID]';

function profileOf(value: string | undefined) {
  const profile = value ?? 'spreadsheet';
  if (!(CSV_PROFILE_IDS as readonly string[]).includes(profile))
    throw new UsageError(`--profile must be one of ${CSV_PROFILE_IDS.join(', ')}`);
  return profile as (typeof CSV_PROFILE_IDS)[number];
}

export async function runExport(ctx: CliContext): Promise<number> {
  if (ctx.args[0] === 'clients') return runExportClients(ctx);
  if (ctx.args[0] === 'received') return runExportReceived(ctx);
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      ...FILTER_OPTIONS,
      format: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'locale-doc': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals[0] !== 'invoices' || !values.out || !['csv', 'xlsx'].includes(values.format ?? ''))
    throw new UsageError(EXPORT_USAGE);
  return withKontor(ctx, async (kontor) => {
    const filters = filtersFrom(values);
    const result = (await runJob(
      kontor,
      ctx,
      'exports.start',
      {
        kind: 'invoices',
        input: {
          format: values.format as 'csv' | 'xlsx',
          profile: profileOf(values.profile),
          locale: documentLocaleOr(ctx, values['locale-doc']),
          out: path.resolve(values.out as string),
          filters,
        },
      },
      'rows',
    )) as { file: string; rows: number };
    ctx.out(`${result.rows} invoices written to ${result.file}`);
    return 0;
  });
}

/** An invoice id (a UUID) rather than a number: numbers always start with letters. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A document named on the command line: its id, or its number (with the issuer when two share it). */
export const invoiceRef = (ref: string, issuer: string | undefined) =>
  UUID.test(ref) ? { id: ref } : { number: ref, issuerOrganizationId: issuer };

export async function runPdf(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: { out: { type: 'string' }, as: { type: 'string' }, issuer: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !values.out)
    throw new UsageError('usage: kontor pdf <number|id> --out FILE [--issuer ORG_ID] [--as ORG_ID]');
  const ref = positionals[0] as string;
  return withKontor(ctx, async (kontor) => {
    const result = await saveTo(
      kontor,
      ctx,
      'invoices.pdf',
      {
        ...invoiceRef(ref, values.issuer),
        actingOrganizationId: values.as,
      },
      values.out as string,
    );
    ctx.out(`${result.file} (${result.bytes} bytes)`);
    return 0;
  });
}

export async function runPack(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: {
      ...FILTER_OPTIONS,
      out: { type: 'string' },
      profile: { type: 'string' },
      'locale-doc': { type: 'string' },
    },
  });
  if (!values.out)
    throw new UsageError(
      'usage: kontor pack --out DIR|FILE.zip [--profile P] [--status S] [--from D] [--to D] [--org ID] [--as ORG_ID]',
    );
  return withKontor(ctx, async (kontor) => {
    const result = (await runJob(
      kontor,
      ctx,
      'exports.start',
      {
        kind: 'pack',
        input: {
          out: path.resolve(values.out as string),
          profile: profileOf(values.profile),
          locale: documentLocaleOr(ctx, values['locale-doc']),
          filters: filtersFrom(values),
        },
      },
      'steps',
    )) as { out: string; manifest: { invoices: number; files: unknown[] } };
    ctx.out(
      `pack written to ${result.out}: ${result.manifest.invoices} invoices, ${result.manifest.files.length} files`,
    );
    return 0;
  });
}

export async function runEinvoice(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      out: { type: 'string' },
      format: { type: 'string' },
      as: { type: 'string' },
      issuer: { type: 'string' },
    },
    allowPositionals: true,
  });
  const usage =
    'usage: kontor einvoice <number|id> [--format factur-x|cii|ubl|xrechnung] --out FILE [--issuer ORG_ID] [--as ORG_ID]';
  if (positionals.length !== 1 || !values.out) throw new UsageError(usage);
  const format =
    values.format === undefined ? undefined : oneOf(ctx, 'format', values.format, EINVOICE_FILE_FORMATS);
  const ref = positionals[0] as string;
  return withKontor(ctx, async (kontor) => {
    const result = await saveTo(
      kontor,
      ctx,
      'invoices.einvoice',
      {
        ...invoiceRef(ref, values.issuer),
        format,
        actingOrganizationId: values.as,
      },
      values.out as string,
    );
    ctx.out(`${result.file} (${format ?? path.extname(result.file).slice(1)}, ${result.bytes} bytes)`);
    return 0;
  });
}

/** `kontor export received`: the received documents in the accountant's CSV or XLSX. */
async function runExportReceived(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args.slice(1),
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      'locale-doc': { type: 'string' },
      org: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      status: { type: 'string' },
    },
  });
  const usage =
    'usage: kontor export received --format csv|xlsx --out FILE [--profile P] [--org ID] [--from D] [--to D] [--status open|paid]';
  if (!values.out || !['csv', 'xlsx'].includes(values.format ?? '')) throw new UsageError(usage);
  const status =
    values.status === undefined ? 'all' : oneOf(ctx, 'status', values.status, ['open', 'paid'] as const);
  return withKontor(ctx, async (kontor) => {
    const result = await saveTo(
      kontor,
      ctx,
      'received.exportFile',
      {
        format: values.format as 'csv' | 'xlsx',
        profile: profileOf(values.profile),
        locale: documentLocaleOr(ctx, values['locale-doc']),
        filters: { organizationId: values.org, from: values.from, to: values.to, status },
      },
      values.out as string,
    );
    ctx.out(`${result.file} (${result.bytes} bytes)`);
    return 0;
  });
}
