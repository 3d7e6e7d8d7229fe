// A period pack: every issued document's PDF and e-invoice XML, the CSV and XLSX of the same
// invoices and a manifest that accounts for every number (voids included), as a folder or a zip.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { fail } from '#common/errors';
import type { ExportPack, InvoiceFilters } from '#common/invoices.schema';
import type { Ctx } from './context';
import { packEinvoiceXml } from './einvoices.service';
import {
  assertWritableTarget,
  countInvoices,
  exportInvoices,
  type ExportRunOptions,
  invoiceExportRows,
  issuedOnly,
  scopedFilters,
} from './exports.service';
import { invoiceDocument, pdfFileName, renderPdf } from './invoice-pdf.service';

export interface PackManifest {
  generatedAt: string;
  filters: InvoiceFilters;
  invoices: number;
  files: { path: string; bytes: number; sha256: string }[];
  totals: { currency: string; grossMinor: number; paidMinor: number }[];
  /**
   * Numbers consumed for the documents of the pack but carrying none (an issue that lost a race
   * to another device's issue of the same draft): with them every number is accounted for.
   */
  voids: {
    number: string;
    series: string;
    sequence: number;
    voidedOn: string;
    reason: string;
    invoiceId: string;
    winningNumber: string | null;
  }[];
}

function voidsOf(ctx: Ctx, ids: ReadonlySet<string>): PackManifest['voids'] {
  const rows = ctx.raw
    .prepare(
      `SELECT number, series, sequence, voided_on, reason, invoice_id, winning_number FROM invoice_voids
       WHERE invoice_id IN (SELECT value FROM json_each(?)) ORDER BY series, sequence`,
    )
    .all(JSON.stringify([...ids])) as {
    number: string;
    series: string;
    sequence: number;
    voided_on: string;
    reason: string;
    invoice_id: string;
    winning_number: string | null;
  }[];
  return rows.map((r) => ({
    number: r.number,
    series: r.series,
    sequence: r.sequence,
    voidedOn: r.voided_on,
    reason: r.reason,
    invoiceId: r.invoice_id,
    winningNumber: r.winning_number,
  }));
}

/**
 * A period pack: every PDF of the filtered invoices, the CSV, the XLSX and a manifest with a
 * checksum per file — in a folder, or zipped when `out` ends in .zip. Built in a staging
 * folder first and moved into place at the end, so a cancelled pack leaves nothing behind;
 * PDFs are rendered one at a time, so memory stays flat however many there are.
 */
export async function exportPack(
  ctx: Ctx,
  input: z.infer<typeof ExportPack>,
  options: ExportRunOptions = {},
): Promise<{ out: string; manifest: PackManifest }> {
  const filters = issuedOnly(scopedFilters(ctx, input));
  const zip = input.out.toLowerCase().endsWith('.zip');
  const out = assertWritableTarget(input.out, zip ? 'file' : 'folder');
  const staging = `${zip ? out.slice(0, -4) : out}.partial-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.join(staging, 'pdf'), { recursive: true });
  const total = countInvoices(ctx, filters);
  // Each PDF counts one step; the two spreadsheets count as a tenth of the rows each.
  const steps = total + Math.ceil(total / 5) + 1;
  let done = 0;
  const tick = (n = 1) => {
    done += n;
    options.onProgress?.(Math.min(done, steps), steps);
  };
  try {
    const totals = new Map<string, { grossMinor: number; paidMinor: number }>();
    // Two documents may share a number (several issuers' imported history, numbers from
    // before issuer codes): each still gets its own file, never one over the other.
    const written = new Set<string>();
    const packedIds = new Set<string>();
    for await (const row of invoiceExportRows(ctx, filters, 500)) {
      options.signal?.throwIfAborted();
      packedIds.add(row.id);
      const doc = invoiceDocument(ctx, { id: row.id });
      let name = pdfFileName(doc, row.id);
      if (written.has(name.toLowerCase())) name = `${name.slice(0, -4)}_${row.id}.pdf`;
      written.add(name.toLowerCase());
      await fs.promises.writeFile(path.join(staging, 'pdf', name), await renderPdf(doc));
      // Beside each issued invoice and credit note, its e-invoice XML in the customer's syntax
      // (a pro forma or a draft has none); the manifest lists both files.
      const xml = packEinvoiceXml(ctx, row.id);
      if (xml)
        await fs.promises.writeFile(
          path.join(staging, 'pdf', `${name.slice(0, -4)}.${xml.suffix}`),
          xml.text,
        );
      const sum = totals.get(row.currency) ?? { grossMinor: 0, paidMinor: 0 };
      sum.grossMinor += row.grossMinor;
      sum.paidMinor += row.kind === 'invoice' ? row.paidMinor : 0;
      totals.set(row.currency, sum);
      tick();
    }
    const csvStart = done;
    await exportInvoices(
      ctx,
      { ...input, filters, format: 'csv', out: path.join(staging, 'invoices.csv') },
      {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.(Math.min(csvStart + Math.floor(n / 10), steps), steps),
      },
    );
    done = csvStart + Math.ceil(total / 10);
    const xlsxStart = done;
    await exportInvoices(
      ctx,
      { ...input, filters, format: 'xlsx', out: path.join(staging, 'invoices.xlsx') },
      {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.(Math.min(xlsxStart + Math.floor(n / 10), steps), steps),
      },
    );
    done = xlsxStart + Math.ceil(total / 10);
    const files: PackManifest['files'] = [];
    for (const rel of listFiles(staging)) {
      const buffer = await fs.promises.readFile(path.join(staging, rel));
      files.push({
        path: rel,
        bytes: buffer.length,
        sha256: createHash('sha256').update(buffer).digest('hex'),
      });
    }
    // The manifest counts what was written, not what was planned: a pack is checked by it.
    const pdfs = files.filter((f) => f.path.startsWith('pdf/') && f.path.endsWith('.pdf')).length;
    if (pdfs !== written.size)
      fail('internal', { detail: `pack holds ${pdfs} PDFs for ${written.size} invoices` });
    const manifest: PackManifest = {
      generatedAt: ctx.clock.now().toISOString(),
      filters,
      invoices: written.size,
      files,
      totals: [...totals.entries()].map(([currency, v]) => ({ currency, ...v })),
      voids: packedIds.size === 0 ? [] : voidsOf(ctx, packedIds),
    };
    await fs.promises.writeFile(
      path.join(staging, 'manifest.json'),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    options.signal?.throwIfAborted();
    if (zip) {
      await zipFolder(staging, out);
      await fs.promises.rm(staging, { recursive: true, force: true });
    } else {
      await fs.promises.rm(out, { recursive: true, force: true });
      await fs.promises.rename(staging, out);
    }
    tick();
    return { out, manifest };
  } catch (error) {
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

function listFiles(root: string, dir = ''): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) result.push(...listFiles(root, rel));
    else result.push(rel);
  }
  return result.sort();
}

/** yazl reads each file only when its turn comes: the zip streams, memory stays flat. */
async function zipFolder(folder: string, out: string): Promise<void> {
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  for (const rel of listFiles(folder)) zip.addFile(path.join(folder, rel), rel);
  zip.end();
  const partial = `${out}.part`;
  await pipeline(zip.outputStream, fs.createWriteStream(partial));
  await fs.promises.rename(partial, out);
}
