import { z } from 'zod';
import { StoreError } from '#db/errors';
import {
  ExportInvoices,
  ExportPack,
  InvoiceEinvoice,
  InvoicePdf,
  JobRef,
  StartExport,
} from '#common/invoices.schema';
import { einvoiceFile } from '../services/einvoices.service';
import { type ErrorParams, KontorError } from '#common/errors';
import { translateError } from '../i18n/errors';
import { resolveLocale } from '../i18n/locale';
import { assertWritableTarget, exportInvoices, exportPack, invoicePdf } from '../services/exports.service';
import { cancelJob, getJob, listJobs, startJob } from '../services/jobs.service';
import { mutation, query } from './method';
import fs from 'node:fs';
import path from 'node:path';

function failureOf(error: unknown): { code: string; params: Record<string, unknown> } {
  if (error instanceof KontorError || error instanceof StoreError)
    return { code: error.code, params: { ...error.params } };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return { code: 'internal', params: { detail: error.code } };
  return { code: 'internal', params: {} };
}

export const exportsApi = {
  'exports.invoices': query(
    ExportInvoices,
    'Write the filtered invoices as CSV (profile) or XLSX to a file',
    (ctx, i) => exportInvoices(ctx, i),
  ),
  'exports.pack': query(
    ExportPack,
    'A period pack (PDFs, CSV, XLSX, manifest) as a folder or .zip',
    (ctx, i) => exportPack(ctx, i),
  ),
  'exports.start': query(
    StartExport,
    'Start an export in the background; poll jobs.get for progress',
    (ctx, i) =>
      startJob(
        ctx,
        i.kind,
        (signal, progress) =>
          i.kind === 'pack'
            ? exportPack(ctx, i.input, { signal, onProgress: progress })
            : exportInvoices(ctx, i.input, { signal, onProgress: progress }),
        failureOf,
      ),
  ),
  'jobs.get': query(JobRef, 'Progress and result of a background job (its error translated)', (_ctx, i) => {
    const job = getJob(i.jobId);
    if (!job?.error) return job;
    return {
      ...job,
      error: {
        ...job.error,
        message: translateError(job.error.code, job.error.params as ErrorParams, resolveLocale(i.locale)),
      },
    };
  }),
  'jobs.cancel': mutation(JobRef, 'Cancel a background job (its partial files are removed)', (_ctx, i) =>
    cancelJob(i.jobId),
  ),
  'jobs.list': query(z.object({}).default({}), 'Background jobs of this session', () => listJobs()),
  'invoices.pdf': query(
    InvoicePdf,
    'One invoice as PDF: written to `out`, or returned as base64',
    async (ctx, i) => {
      const pdf = await invoicePdf(ctx, i);
      if (i.out) {
        const out = assertWritableTarget(i.out, 'file');
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, pdf.bytes);
        return { fileName: pdf.fileName, file: out, bytes: pdf.bytes.length, base64: null };
      }
      return {
        fileName: pdf.fileName,
        file: null,
        bytes: pdf.bytes.length,
        base64: pdf.bytes.toString('base64'),
      };
    },
  ),
  'invoices.einvoice': query(
    InvoiceEinvoice,
    'The e-invoice of an issued invoice or credit note (Factur-X PDF, CII, UBL Peppol BIS 3.0 or XRechnung): written to `out`, or returned as base64',
    async (ctx, i) => {
      const file = await einvoiceFile(ctx, i);
      const result = {
        fileName: file.fileName,
        format: file.format,
        mime: file.mime,
        bytes: file.bytes.length,
      };
      if (i.out) {
        const out = assertWritableTarget(i.out, 'file');
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, file.bytes);
        return { ...result, file: out, base64: null };
      }
      return { ...result, file: null, base64: file.bytes.toString('base64') };
    },
  ),
};
