import { parseArgs } from 'node:util';
import { INVOICE_STATUSES } from '#common/enums';
import { minorToDecimal } from '#common/money';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { table } from '../output';
import { collectPages, PAGING_OPTIONS, PAGING_USAGE } from '../paging';
import { UsageError } from '../usage';

export const FILTER_OPTIONS = {
  status: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  org: { type: 'string' },
  overdue: { type: 'boolean' },
  // Acting as an organization (a partner, a client): only what it may see.
  as: { type: 'string' },
} as const;

export function filtersFrom(values: {
  status?: string[];
  from?: string;
  to?: string;
  org?: string;
  overdue?: boolean;
  as?: string;
}) {
  const given = (values.status ?? []).flatMap((s) => s.split(','));
  const statuses = given.filter((s): s is (typeof INVOICE_STATUSES)[number] =>
    (INVOICE_STATUSES as readonly string[]).includes(s),
  );
  if (statuses.length !== given.length)
    throw new UsageError(`--status must be one of ${INVOICE_STATUSES.join(', ')}`);
  for (const d of [values.from, values.to]) {
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new UsageError('--from and --to take dates as yyyy-mm-dd');
  }
  return {
    statuses,
    from: values.from,
    to: values.to,
    organizationId: values.org,
    overdue: values.overdue,
    actingOrganizationId: values.as,
  };
}

export async function runInvoices(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      ...FILTER_OPTIONS,
      json: { type: 'boolean' },
      ...PAGING_OPTIONS,
      lines: { type: 'boolean' },
      issuer: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals[0] === 'series' && positionals.length === 1) return runSeries(ctx, values);
  if (positionals[0] !== 'list' || positionals.length > 1) {
    throw new UsageError(
      `usage: kontor invoices list [--status S] [--from D] [--to D] [--org ID] [--overdue] [--as ORG_ID] ${PAGING_USAGE} [--lines] [--json] | kontor invoices series [--issuer ORG_ID] [--json]`,
    );
  }
  const filters = filtersFrom(values);
  return withKontor(ctx, async (kontor) => {
    // --cursor continues where an earlier page stopped (its "next:" line on stderr).
    const rows = await collectPages(values, ctx.err, 100, (cursor, limit) =>
      callOrThrow(kontor, ctx, 'invoices.list', { ...filters, cursor, limit }),
    );
    if (values.json) {
      if (!values.lines) {
        ctx.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const withLines = [];
      for (const r of rows) {
        const detail = await callOrThrow(kontor, ctx, 'invoices.get', {
          id: r.id,
          actingOrganizationId: filters.actingOrganizationId,
        });
        withLines.push({ ...r, lines: detail.lines });
      }
      ctx.out(JSON.stringify(withLines, null, 2));
      return 0;
    }
    ctx.out(
      table([
        ['NUMBER', 'STATUS', 'ISSUED', 'DUE', 'ORGANIZATION', 'TOTAL', 'PAID', 'CUR'],
        ...rows.map((r) => [
          r.number ?? '(draft)',
          r.overdue ? `${r.status} (overdue)` : r.status,
          r.issuedOn,
          r.dueOn ?? '',
          r.organizationName,
          minorToDecimal(r.grossMinor, r.currency),
          minorToDecimal(r.paidMinor, r.currency),
          r.currency,
        ]),
      ]),
    );
    return 0;
  });
}

/** `kontor invoices series`: every number of every series is a document or a documented void. */
async function runSeries(ctx: CliContext, values: { issuer?: string; json?: boolean }): Promise<number> {
  return withKontor(ctx, async (kontor) => {
    const report = await callOrThrow(kontor, ctx, 'invoices.series', {
      issuerOrganizationId: values.issuer,
    });
    if (values.json) {
      ctx.out(JSON.stringify(report, null, 2));
    } else {
      ctx.out(
        table([
          ['ISSUER', 'SERIES', 'ISSUED', 'VOIDS', 'LAST', 'MISSING'],
          ...report.map((r) => [
            r.issuerName,
            r.series,
            String(r.issued),
            String(r.voids.length),
            String(r.lastSequence),
            r.missing.length ? r.missing.join(',') : '-',
          ]),
        ]),
      );
      for (const r of report)
        for (const v of r.voids)
          ctx.out(`void ${v.number} (${v.voidedOn}): ${v.reason}, the document is ${v.winningNumber ?? '?'}`);
    }
    // A number that is neither a document nor a void is a hole in the book.
    return report.some((r) => r.missing.length > 0) ? 1 : 0;
  });
}
