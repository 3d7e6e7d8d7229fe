import { z } from 'zod';
import { DOCUMENT_LOCALES } from './enums';
import { Id, IsoDate } from './common.schema';
import { CSV_PROFILE_IDS } from './invoices.schema';

/** The billing history a partner may export for its managed clients (DOMAIN.md "Exports users ask for"). */
export const CLIENT_HISTORY_TYPES = ['invoices', 'payments', 'cashback'] as const;
export type ClientHistoryType = (typeof CLIENT_HISTORY_TYPES)[number];

/**
 * What a consolidated client export covers. `history` may be left out for XLSX (then every
 * type, one sheet each); a CSV file holds exactly one type — the service says so with its
 * own code rather than a generic invalid input, so the user learns what to change.
 */
export const ClientExportOptions = z.object({
  partnerOrganizationId: Id,
  history: z.array(z.enum(CLIENT_HISTORY_TYPES)).min(1).max(3).optional(),
  from: IsoDate,
  to: IsoDate,
  format: z.enum(['csv', 'xlsx']),
  profile: z.enum(CSV_PROFILE_IDS).default('spreadsheet'),
  /** Empty: every managed client. */
  clientIds: z.array(Id).max(10_000).default([]),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
});
export type ClientExportOptions = z.infer<typeof ClientExportOptions>;

export const ExportClients = ClientExportOptions.extend({
  out: z.string().trim().min(1).max(4096),
});
export type ExportClients = z.infer<typeof ExportClients>;
