import { parseArgs } from 'node:util';
import { generateDemo } from '#core/demo/demo-data';
import { generateDemoInvoices } from '#core/demo/demo-invoices';
import { ensureDemoProvider } from '#core/demo/demo-provider';
import { progressBar } from '../progress';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';

export async function runDemo(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: {
      orgs: { type: 'string' },
      invoices: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const organizations = Number(values.orgs ?? (values.invoices ? '0' : '12'));
  const invoiceCount = Number(values.invoices ?? '0');
  if (!Number.isInteger(invoiceCount) || invoiceCount < 0 || invoiceCount > 10_000_000) {
    throw new UsageError('--invoices must be a whole number between 0 and 10000000');
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(organizations) || organizations < 0 || organizations > 100_000) {
    throw new UsageError('--orgs must be a whole number between 0 and 100000');
  }
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  return withKontor(ctx, async (kontor) => {
    const today = new Date().toISOString().slice(0, 10);
    const hasOrgs = await callOrThrow(kontor, ctx, 'organizations.list', {});
    const needOrgs = organizations > 0 || (invoiceCount > 0 && hasOrgs.length === 0);
    if (needOrgs) {
      const summary = await generateDemo(kontor.router, { organizations: organizations || 12, seed, today });
      ctx.out(
        `demo data in ${ctx.dbFile}: ${summary.organizations} organizations, ${summary.people} people, ${summary.products} products, ${summary.tags} tags`,
      );
    }
    if (invoiceCount > 0) {
      const provider = await ensureDemoProvider(kontor.router);
      const issuer = await callOrThrow(kontor, ctx, 'organizations.get', { id: provider.id });
      // Two years of invoices are bulk-inserted by the demo generator (one transaction per
      // page), not issued one call at a time: demo data, not a friendly command.
      const bar = progressBar(ctx, invoiceCount, 'invoices');
      const made = generateDemoInvoices(kontor.ctx(), {
        count: invoiceCount,
        seed,
        today,
        issuer,
        onProgress: bar.update,
      });
      bar.done();
      ctx.out(
        `${made.invoices} invoices, ${made.payments} payments, ${made.ledgerEntries} prepaid-ledger entries`,
      );
    }
    return 0;
  });
}
