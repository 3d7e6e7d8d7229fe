// Who a partner's client export covers, checked before any byte is written.
//
// What a partner may see (DOMAIN.md "Invoice visibility"): its managed clients are the
// organizations with an ACTIVE partnership where it is the partner (limited or complete
// access). The export's rows (client-export-rows.ts) are limited to the clients planned here.
import { sql } from 'drizzle-orm';
import {
  CLIENT_HISTORY_TYPES,
  type ClientExportOptions,
  type ClientHistoryType,
} from '#common/client-exports.schema';
import { fail } from '#common/errors';
import { organizations } from '#db/schema/index';
import type { ExportLocale } from '../export/csv/columns';
import type { CsvProfileId } from '../export/csv/csv-writer';
import type { Ctx } from './context';
import { getOrganization } from './organizations.service';
import { nameOrder } from './query-helpers';
import { clientsOf } from './visibility';

export interface ManagedClient {
  id: string;
  name: string;
}

/** The partner's managed clients: the same rule that decides what it may see (visibility.ts). */
export function managedClients(ctx: Ctx, partnerOrganizationId: string): ManagedClient[] {
  return ctx.db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(sql`${organizations.id} in (${clientsOf(partnerOrganizationId)})`)
    .orderBy(nameOrder('organizations'), organizations.id)
    .all();
}

export interface ClientExportPlan {
  partner: ManagedClient;
  clients: ManagedClient[];
  history: ClientHistoryType[];
  from: string;
  to: string;
  format: 'csv' | 'xlsx';
  profile: CsvProfileId;
  locale: ExportLocale;
}

/**
 * Checks a request before any byte is written (a browser download must fail before its
 * headers go out): the partner exists, the period is a period, a CSV asks for one history
 * type, and every selected client is managed by this partner.
 */
export function planClientExport(ctx: Ctx, input: ClientExportOptions): ClientExportPlan {
  const partner = getOrganization(ctx, input.partnerOrganizationId);
  if (input.from > input.to) fail('export_period_invalid', { from: input.from, to: input.to });
  const asked = input.history ?? (input.format === 'xlsx' ? [...CLIENT_HISTORY_TYPES] : []);
  const history = CLIENT_HISTORY_TYPES.filter((type) => asked.includes(type));
  if (input.format === 'csv' && history.length !== 1) fail('export_csv_one_history');
  const managed = managedClients(ctx, partner.id);
  let clients = managed;
  if (input.clientIds.length > 0) {
    const byId = new Map(managed.map((c) => [c.id, c]));
    clients = [];
    for (const id of new Set(input.clientIds)) {
      const client = byId.get(id);
      if (!client) {
        const name = (
          ctx.raw.prepare('select name from organizations where id = ?').get(id) as
            | { name: string }
            | undefined
        )?.name;
        fail('not_managed_client', { client: name ?? id, partner: partner.name });
      }
      clients.push(client);
    }
  }
  return {
    partner: { id: partner.id, name: partner.name },
    clients,
    history,
    from: input.from,
    to: input.to,
    format: input.format,
    profile: input.profile,
    locale: input.locale,
  };
}
