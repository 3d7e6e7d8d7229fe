import { parseArgs } from 'node:util';
import { generateDemo } from '../../electron/demo/demo-data';
import type { CliContext } from '../main';
import { openForCli } from '../open';
import { UsageError } from '../usage';

export async function runDemo(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: { orgs: { type: 'string', default: '12' }, seed: { type: 'string', default: '1' } },
  });
  const organizations = Number(values.orgs);
  const seed = Number(values.seed);
  if (!Number.isInteger(organizations) || organizations < 1 || organizations > 100_000) {
    throw new UsageError('--orgs must be a whole number between 1 and 100000');
  }
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  const kontor = openForCli(ctx);
  try {
    const summary = await generateDemo(kontor.router, {
      organizations,
      seed,
      today: new Date().toISOString().slice(0, 10),
    });
    ctx.out(
      `demo data in ${ctx.dbFile}: ${summary.organizations} organizations, ${summary.people} people, ${summary.products} products, ${summary.tags} tags`,
    );
    return 0;
  } finally {
    kontor.close();
  }
}
