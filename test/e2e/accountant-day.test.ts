import { afterAll, beforeAll, describe, it } from 'vitest';
import { DAY_STEPS, type DayContext } from './accountant-day.steps';
import { startSession } from './harness';

// Issue 14, the test section: an accountant's day on a fresh database, clicked through in
// Chromium at a laptop's 1024×700 and at 1440×900, light and dark, in Swiss German, French and
// English. Screenshots of each step land in test-results/e2e/day-<variant>/.
const VARIANTS = [
  { id: 'de-CH-1024-light', locale: 'de-CH', viewport: { width: 1024, height: 700 }, colorScheme: 'light' },
  { id: 'fr-CH-1440-dark', locale: 'fr-CH', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
  { id: 'en-CH-1024-dark', locale: 'en-CH', viewport: { width: 1024, height: 700 }, colorScheme: 'dark' },
] as const;

for (const variant of VARIANTS) {
  describe(`an accountant's day (${variant.id})`, () => {
    const ctx = {
      locale: variant.locale,
      day: { firmName: '', customerName: '', customerId: '', invoiceId: '', invoiceNumber: '', grossText: '' },
    } as Omit<DayContext, 's'> & { s?: DayContext['s'] };
    beforeAll(async () => {
      ctx.s = await startSession(`day-${variant.id}`, {
        locale: variant.locale,
        viewport: variant.viewport,
        colorScheme: variant.colorScheme,
      });
    });
    afterAll(async () => {
      await ctx.s?.close();
    });
    // One test per step, in order: a failing step names itself, and the steps after it are
    // skipped rather than failing for its sake.
    let failed = false;
    for (const step of DAY_STEPS) {
      it(step.name, async (t) => {
        if (failed || !ctx.s) t.skip();
        try {
          await step.run({ ...ctx, s: ctx.s as DayContext['s'] });
        } catch (error) {
          failed = true;
          await ctx.s?.shot(`FAILED-${step.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => '');
          throw error;
        }
      });
    }
  });
}
