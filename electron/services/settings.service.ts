import { eq } from 'drizzle-orm';
import { appSettings } from '../../db/schema';
import type { Ctx } from './context';

// Per-database preferences (the acting person). Interface preferences such as language and
// theme live with the renderer, because they belong to the person at this screen.
export interface Settings {
  actingPersonId: string | null;
  /** The organization that issues invoices by default (the provider this firm bills for). */
  providerOrganizationId: string | null;
}

const DEFAULTS: Settings = { actingPersonId: null, providerOrganizationId: null };

export function getSettings(ctx: Ctx): Settings {
  const rows = ctx.db.select().from(appSettings).all();
  const result: Settings = { ...DEFAULTS };
  for (const row of rows) {
    if (row.key === 'actingPersonId')
      result.actingPersonId = typeof row.value === 'string' ? row.value : null;
    if (row.key === 'providerOrganizationId')
      result.providerOrganizationId = typeof row.value === 'string' ? row.value : null;
  }
  return result;
}

export function setSetting<K extends keyof Settings>(ctx: Ctx, key: K, value: Settings[K]): Settings {
  ctx.raw.transaction(() => {
    ctx.db.delete(appSettings).where(eq(appSettings.key, key)).run();
    // null is the default, said by the absence of a row: app_settings.value is NOT NULL.
    if (value !== null) ctx.db.insert(appSettings).values({ key, value }).run();
  })();
  if (key === 'actingPersonId') ctx.actor.personId = value;
  return getSettings(ctx);
}
