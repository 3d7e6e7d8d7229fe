import { eq } from 'drizzle-orm';
import { appSettings } from '#db/schema/index';
import { fail } from '#common/errors';
import type { Ctx } from './context';
import { getOrganization } from './organizations.service';
import { getPerson, liveMembership } from './people.service';

// Per-database preferences (the acting person). Interface preferences such as language and
// theme live with the renderer, because they belong to the person at this screen.
export interface Settings {
  actingPersonId: string | null;
  /** The organization that issues invoices by default (the provider this firm bills for). */
  providerOrganizationId: string | null;
  /**
   * The organization the acting person works for at this screen (a partner or one of its
   * clients): what partner screens show and filter by. Only meaningful while the acting
   * person is still a member of it (see actingOrganizationOf).
   */
  actingOrganizationId: string | null;
}

const DEFAULTS: Settings = { actingPersonId: null, providerOrganizationId: null, actingOrganizationId: null };

export function getSettings(ctx: Ctx): Settings {
  const rows = ctx.db.select().from(appSettings).all();
  const result: Settings = { ...DEFAULTS };
  for (const row of rows) {
    if (row.key === 'actingPersonId')
      result.actingPersonId = typeof row.value === 'string' ? row.value : null;
    if (row.key === 'providerOrganizationId')
      result.providerOrganizationId = typeof row.value === 'string' ? row.value : null;
    if (row.key === 'actingOrganizationId')
      result.actingOrganizationId = typeof row.value === 'string' ? row.value : null;
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

function isMember(ctx: Ctx, organizationId: string, personId: string): boolean {
  return !!liveMembership(ctx.db, organizationId, personId);
}

/** Acting for an organization needs an acting person who is one of its members. */
export function setActingOrganization(ctx: Ctx, organizationId: string | null): Settings {
  if (organizationId !== null) {
    const organization = getOrganization(ctx, organizationId);
    const personId = getSettings(ctx).actingPersonId;
    if (!personId) fail('no_acting_person');
    if (!isMember(ctx, organizationId, personId))
      fail('acting_not_member', { person: getPerson(ctx, personId).name, organization: organization.name });
  }
  return setSetting(ctx, 'actingOrganizationId', organizationId);
}

/** The stored acting organization while the acting person still belongs to it, else null. */
export function actingOrganizationOf(ctx: Ctx): string | null {
  const { actingPersonId, actingOrganizationId } = getSettings(ctx);
  if (!actingPersonId || !actingOrganizationId) return null;
  return isMember(ctx, actingOrganizationId, actingPersonId) ? actingOrganizationId : null;
}
