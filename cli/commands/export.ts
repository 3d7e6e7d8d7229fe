import path from 'node:path';
import { parseArgs } from 'node:util';
import { CSV_PROFILE_IDS } from '#common/invoices.schema';
import { exportInvoices, exportPack } from '#core/services/exports.service';
import type { CliContext } from '../main';
import { runExportClients } from './export-clients';
import { callOrThrow, CliApiError, openForCli } from '../open';
import { progressBar } from '../progress';
import { UsageError } from '../usage';
import { FILTER_OPTIONS, filtersFrom } from './invoices';

const EXPORT_USAGE =
  'usage: kontor export invoices --format csv|xlsx --out FILE [--profile spreadsheet|excel-fr|excel-ch|excel-de|excel-it] [--locale-doc en|fr|de] [--status S] [--from D] [--to D] [--org ID] [--as ORG_ID]';

function profileOf(value: string | undefined) {
  const profile = value ?? 'spreadsheet';
  if (!(CSV_PROFILE_IDS as readonly string[]).includes(profile))
    throw new UsageError(`--profile must be one of ${CSV_PROFILE_IDS.join(', ')}`);
  return profile as (typeof CSV_PROFILE_IDS)[number];
}

function docLocale(value: string | undefined, fallback: string): 'en' | 'fr' | 'de' {
  const l = (value ?? fallback).slice(0, 2);
  return l === 'fr' || l === 'de' ? l : 'en';
}

async function guarded(ctx: CliContext, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CliApiError) {
      ctx.err(error.message);
      return 1;
    }
    throw error;
  }
}

export async function runExport(ctx: CliContext): Promise<number> {
  if (ctx.args[0] === 'clients') return runExportClients(ctx);
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
  const kontor = openForCli(ctx);
  try {
    return await guarded(ctx, async () => {
      const filters = { ...filtersFrom(values), organizationIds: [], kinds: [] };
      const count = await callOrThrow<{ count: number }[]>(kontor, ctx, 'invoices.totals', filters);
      const total = count.reduce((a, c) => a + (c as unknown as { count: number }).count, 0);
      const bar = progressBar(ctx, total, 'rows');
      const result = await exportInvoices(
        kontor.ctx(),
        {
          format: values.format as 'csv' | 'xlsx',
          profile: profileOf(values.profile),
          locale: docLocale(values['locale-doc'], ctx.locale),
          out: path.resolve(values.out as string),
          filters: { ...filters, statuses: filters.statuses as never },
        },
        { onProgress: bar.update },
      );
      bar.done();
      ctx.out(`${result.rows} invoices written to ${result.file}`);
      return 0;
    });
  } finally {
    kontor.close();
  }
}

/** An invoice id (a UUID) rather than a number: numbers always start with letters. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runPdf(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: { out: { type: 'string' }, as: { type: 'string' }, issuer: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !values.out)
    throw new UsageError('usage: kontor pdf <number|id> --out FILE [--issuer ORG_ID] [--as ORG_ID]');
  const ref = positionals[0] as string;
  const kontor = openForCli(ctx);
  try {
    return await guarded(ctx, async () => {
      const result = await callOrThrow<{ file: string; bytes: number }>(kontor, ctx, 'invoices.pdf', {
        ...(UUID.test(ref) ? { id: ref } : { number: ref, issuerOrganizationId: values.issuer }),
        out: path.resolve(values.out as string),
        actingOrganizationId: values.as,
      });
      ctx.out(`${result.file} (${result.bytes} bytes)`);
      return 0;
    });
  } finally {
    kontor.close();
  }
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
  const kontor = openForCli(ctx);
  try {
    return await guarded(ctx, async () => {
      const filters = filtersFrom(values);
      let bar: ReturnType<typeof progressBar> | null = null;
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort(new Error('cancelled')));
      const result = await exportPack(
        kontor.ctx(),
        {
          out: path.resolve(values.out as string),
          profile: profileOf(values.profile),
          locale: docLocale(values['locale-doc'], ctx.locale),
          filters: { ...filters, organizationIds: [], kinds: [], statuses: filters.statuses as never },
        },
        {
          signal: controller.signal,
          onProgress: (done, total) => {
            bar ??= progressBar(ctx, total ?? 0, 'steps');
            bar.update(done);
          },
        },
      );
      (bar as ReturnType<typeof progressBar> | null)?.done();
      ctx.out(
        `pack written to ${result.out}: ${result.manifest.invoices} invoices, ${result.manifest.files.length} files`,
      );
      return 0;
    });
  } finally {
    kontor.close();
  }
}
