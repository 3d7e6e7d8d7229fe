import { parseArgs } from 'node:util';
import type { CliContext } from '../main';
import { callOrThrow, openForCli } from '../open';
import { table } from '../output';
import { UsageError } from '../usage';

export async function runOrgs(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: { json: { type: 'boolean', default: false }, search: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'list' || positionals.length > 1)
    throw new UsageError('usage: kontor orgs list [--json] [--search TEXT]');
  const kontor = openForCli(ctx);
  try {
    const orgs = await callOrThrow(kontor, ctx, 'organizations.list', {
      search: values.search,
    });
    if (values.json) {
      ctx.out(JSON.stringify(orgs, null, 2));
      return 0;
    }
    ctx.out(
      table([
        ['ID', 'NAME', 'KIND', 'COUNTRY', 'CURRENCY', 'VAT / UID', 'PRODUCTS'],
        ...orgs.map((o) => [
          o.id,
          o.name,
          o.kind,
          o.country,
          o.currency,
          o.vatNumber ?? o.uid ?? '',
          String(o.productCount),
        ]),
      ]),
    );
    return 0;
  } finally {
    kontor.close();
  }
}
