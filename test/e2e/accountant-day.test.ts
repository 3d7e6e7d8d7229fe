import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { SMTP_PASSWORD, SMTP_USER } from './accountant-day.mail';
import { DAY_STEPS, type DayContext } from './accountant-day.steps';
import { ARTIFACTS, startSession } from './harness';

// Issue 14, the test section: an accountant's day on a fresh database, clicked through in
// Chromium at a laptop's 1024×700 and at 1440×900, light and dark, in Swiss German, French and
// English — every one of the 12 combinations, not a covering subset: one walk takes about
// 20 s here (Chromium, a fresh SQLite file, the e-mail round trip included), so all twelve
// cost about 4 minutes of a CI run that stays far under its hour, and a defect that shows only
// in one pairing (French at 1024 in dark, say) is still seen. Screenshots of each step land in
// test-results/e2e/day-<variant>/.
const LOCALES = ['en-CH', 'fr-CH', 'de-CH'] as const;
const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
const THEMES = ['light', 'dark'] as const;
const VARIANTS = LOCALES.flatMap((locale) =>
  VIEWPORTS.flatMap((viewport) =>
    THEMES.map((colorScheme) => ({ id: `${locale}-${viewport.width}-${colorScheme}`, locale, viewport, colorScheme })),
  ),
);

let smtp: TestSmtp;
const savedPassword = process.env.KONTOR_SMTP_PASSWORD;
beforeAll(async () => {
  smtp = await startTestSmtp({ user: SMTP_USER, password: SMTP_PASSWORD });
  // The web host reads the SMTP password from the environment, as the CLI does.
  process.env.KONTOR_SMTP_PASSWORD = SMTP_PASSWORD;
});
afterAll(async () => {
  await smtp?.stop();
  if (savedPassword === undefined) delete process.env.KONTOR_SMTP_PASSWORD;
  else process.env.KONTOR_SMTP_PASSWORD = savedPassword;
});

for (const variant of VARIANTS) {
  describe(`an accountant's day (${variant.id})`, () => {
    const ctx = {
      locale: variant.locale,
      day: { firmName: '', customerName: '', customerId: '', invoiceId: '', invoiceNumber: '', grossText: '' },
    } as Omit<DayContext, 's' | 'smtp'> & { s?: DayContext['s'] };
    beforeAll(async () => {
      // Each run's screenshots alone: an older run's, numbered otherwise, would sit among them.
      fs.rmSync(path.join(ARTIFACTS, `day-${variant.id}`), { recursive: true, force: true });
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
          await step.run({ ...ctx, smtp, s: ctx.s as DayContext['s'] });
        } catch (error) {
          failed = true;
          await ctx.s?.shot(`FAILED-${step.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`).catch(() => '');
          throw error;
        }
      });
    }
  });
}
