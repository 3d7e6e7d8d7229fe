import { z } from 'zod';
import { ActingOrganizationId } from './common.schema';

export const SEARCH_KINDS = ['organization', 'person', 'product', 'invoice'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SearchAll = z.object({
  text: z.string().max(200),
  /** Results per kind. */
  limit: z.number().int().min(1).max(50).default(8),
  actingOrganizationId: ActingOrganizationId,
});
