import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { usageError } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';

const USAGE = 'usage: kontor import einvoice FILE… [--org ORG_ID] [--json]';

/** `kontor import einvoice FILE…`: suppliers' Factur-X PDFs, CII and UBL files as received documents. */
export async function runImportEinvoice(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args.slice(1),
    options: { org: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError(USAGE);
  for (const file of positionals) if (!fs.existsSync(file)) throw usageError(ctx, 'not_found', { file });
  return withKontor(ctx, async (kontor) => {
    const { results } = await callOrThrow(kontor, ctx, 'received.import', {
      // The files are read here: the method takes content, never a path.
      uploads: positionals.map((file) => ({
        name: path.basename(file),
        contentBase64: fs.readFileSync(path.resolve(file)).toString('base64'),
      })),
      organizationId: values.org,
      locale: ctx.locale.slice(0, 2) === 'fr' ? 'fr' : ctx.locale.slice(0, 2) === 'de' ? 'de' : 'en',
    });
    if (values.json) ctx.out(JSON.stringify(results, null, 2));
    else
      for (const r of results) {
        if (r.status === 'imported') ctx.out(`${r.file}: ${r.number} (${r.id})`);
        else ctx.err(r.message ?? r.file);
      }
    // A duplicate is no failure (the document is there); a refusal is.
    return results.some((r) => r.status === 'refused') ? 1 : 0;
  });
}
