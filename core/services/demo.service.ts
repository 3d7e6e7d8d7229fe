// The "demo data" button of the empty first screen: the same generator as `kontor demo`, into
// an empty database only (it would mix invented customers into a real book otherwise).
import { isNull, sql } from 'drizzle-orm';
import { organizations } from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import type { Ctx } from './context';
import { getOrganization } from './organizations.service';

export interface DemoLoaded {
  organizations: number;
  invoices: number;
}

export async function loadDemo(ctx: Ctx): Promise<DemoLoaded> {
  const count = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(organizations)
    .where(isNull(organizations.deletedAt))
    .get();
  if ((count?.n ?? 0) > 0) fail('demo_not_empty');
  // Loaded when asked: the generator drives the API through a router, which imports the
  // contract that lists this very service.
  const [{ createRouter }, { generateDemo }, { ensureDemoProvider }, { generateDemoInvoices }] = await Promise.all([
    import('../api/router'),
    import('../demo/demo-data'),
    import('../demo/demo-provider'),
    import('../demo/demo-invoices'),
  ]);
  const router = createRouter(() => ctx);
  const today = todayIso(ctx.clock.now());
  const provider = await ensureDemoProvider(router);
  const summary = await generateDemo(router, { organizations: 12, seed: 1, today });
  const invoices = generateDemoInvoices(ctx, { count: 120, seed: 1, today, issuer: getOrganization(ctx, provider.id) });
  return { organizations: summary.organizations + 1, invoices: invoices.invoices };
}
