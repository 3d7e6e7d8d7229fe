import path from 'node:path';
import { ClientExportOptions, ExportClients } from '#common/client-exports.schema';
import { ExportInvoices, ExportPack, InvoicesFile, PackJob, StartExport } from '#common/invoices.schema';
import { planClientExport } from '../services/client-export-plan';
import { clientExportFileName, exportClients, streamClients } from '../services/client-exports.service';
import { exportInvoices, scopedFilters, streamInvoices } from '../services/exports.service';
import { exportPack } from '../services/packs.service';
import { job, query, stream } from './method';

const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
} as const;

// Two shapes of each export: a stream (the file as bytes, for every door: the browser saves
// it, the desktop shell writes it where the person chose, the CLI to --out) and, for callers
// in this process only, the same export written to a path they name. No path ever comes
// from a page: the 'local' door is the CLI, the shell's own menus and tests.
const local = { doors: ['local'] } as const;

export const exportsApi = {
  'exports.invoicesFile': stream(
    InvoicesFile,
    'The filtered invoices as a CSV (profile) or XLSX file',
    (ctx, i) => {
      // Before the first byte: an unknown acting organization is an error, not an empty file.
      scopedFilters(ctx, i);
      const stamp = ctx.clock.now().toISOString().slice(0, 10);
      return {
        fileName: `invoices-${stamp}.${i.format}`,
        mime: MIME[i.format],
        write: (out, signal) => streamInvoices(ctx, i, out, { signal }),
      };
    },
  ),
  'exports.clientsFile': stream(
    ClientExportOptions,
    'A partner’s managed clients’ billing history for a period, as CSV (one type) or XLSX (a sheet per type)',
    (ctx, i) => {
      const plan = planClientExport(ctx, i);
      return {
        fileName: clientExportFileName(plan),
        mime: MIME[plan.format],
        write: (out, signal) => streamClients(ctx, plan, out, { signal }),
      };
    },
  ),
  'exports.packJob': job(
    PackJob,
    'Start a period pack (PDFs, CSV, XLSX, manifest as a .zip) in the background; save it with jobs.file',
    () => 'pack',
    (ctx, i, run) =>
      exportPack(
        ctx,
        {
          ...i,
          out: path.join(run.workDir(), `invoices-pack-${ctx.clock.now().toISOString().slice(0, 10)}.zip`),
        },
        { signal: run.signal, onProgress: run.progress },
      ),
  ),
  'exports.invoices': query(
    ExportInvoices,
    'Write the filtered invoices as CSV (profile) or XLSX to a file',
    (ctx, i) => exportInvoices(ctx, i),
    local,
  ),
  'exports.clients': query(
    ExportClients,
    'Write a partner’s managed clients’ billing history (invoices, payments, cashback) for a period as CSV (one type) or XLSX (a sheet per type)',
    (ctx, i) => exportClients(ctx, i),
    local,
  ),
  'exports.pack': query(
    ExportPack,
    'A period pack (PDFs, CSV, XLSX, manifest) as a folder or .zip',
    (ctx, i) => exportPack(ctx, i),
    local,
  ),
  'exports.start': job(
    StartExport,
    'Start an export to a file in the background; poll jobs.get for progress',
    (i) => i.kind,
    (ctx, i, run): Promise<unknown> =>
      i.kind === 'pack'
        ? exportPack(ctx, i.input, { signal: run.signal, onProgress: run.progress })
        : exportInvoices(ctx, i.input, { signal: run.signal, onProgress: run.progress }),
    local,
  ),
};

export { MIME };
