import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { minorToDecimal } from '#common/money';
import type { StatementImport } from '#core/services/bank/statements';
import { usageError } from '../flags';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { table } from '../output';
import { UsageError } from '../usage';

const USAGE = 'usage: kontor import statement FILE [--dry-run] [--json]';

/**
 * `kontor import statement FILE`: a camt.053 / camt.054 bank statement (payments.importStatement).
 * --dry-run shows each credit with its proposed match and writes nothing. Exit 1 when the file is
 * refused (nothing written), 0 otherwise (credits waiting to be reconciled are listed).
 */
export async function runImportStatement(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args.slice(1),
    options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length !== 1) throw new UsageError(USAGE);
  if (!fs.existsSync(file)) throw usageError(ctx, 'not_found', { file });
  return withKontor(ctx, async (kontor) => {
    const result = await callOrThrow(kontor, ctx, 'payments.importStatement', {
      // Read here: the method takes content, never a path.
      fileName: path.basename(file),
      contentBase64: fs.readFileSync(path.resolve(file)).toString('base64'),
      dryRun: values['dry-run'] ?? false,
    });
    ctx.out(values.json ? JSON.stringify(result, null, 2) : statementText(result));
    return 0;
  });
}

function statementText(r: StatementImport): string {
  const rows = [['Entry', 'Amount', 'Booked', 'Outcome', 'Invoice']];
  for (const e of r.entries) {
    const o = e.outcome;
    rows.push([
      e.entryRef,
      `${minorToDecimal(e.amountMinor)} ${e.currency}`,
      e.bookedOn,
      'reason' in o ? `${o.kind} (${o.reason.replaceAll('_', ' ')})` : o.kind,
      'invoiceNumber' in o ? (o.invoiceNumber ?? '') : '',
    ]);
  }
  const c = r.counts;
  return [
    `${r.fileName} (${r.message}): ${r.entries.length} credit(s), ${r.skipped} debit(s) or unbooked skipped${r.written ? '' : ' — preview, nothing written'}`,
    table(rows),
    `paid ${c.exact}, partly paid ${c.partial}, to prepaid ${c.deposit}, to reconcile ${c.unmatched}, already imported ${c.duplicate}`,
  ].join('\n');
}
