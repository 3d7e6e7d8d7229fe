import { parseArgs } from 'node:util';
import { INVOICE_STATUSES } from '#common/enums';
import { minorToDecimal } from '#common/money';
import type { InvoicePage } from '#core/services/invoices.service';
import type { CliContext } from '../main';
import { CliApiError, callOrThrow, openForCli } from '../open';
import { table } from '../output';
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
    options: { ...FILTER_OPTIONS, json: { type: 'boolean' }, limit: { type: 'string', default: '100' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'list' || positionals.length > 1) {
    throw new UsageError(
      'usage: kontor invoices list [--status S] [--from D] [--to D] [--org ID] [--overdue] [--as ORG_ID] [--json]',
    );
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const filters = filtersFrom(values);
  const kontor = openForCli(ctx);
  try {
    const rows: InvoicePage['rows'] = [];
    let cursor: string | null = null;
    do {
      const page: InvoicePage = await callOrThrow(kontor, ctx, 'invoices.list', {
        ...filters,
        cursor,
        limit: Math.min(1000, limit - rows.length),
      });
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor && rows.length < limit);
    if (values.json) {
      ctx.out(JSON.stringify(rows, null, 2));
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
