import { z } from 'zod';
import { Id, IsoDate } from './common.schema';

export const ListActivity = z.object({
  organizationId: Id.optional(),
  productId: Id.optional(),
  action: z.string().max(80).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Keyset cursor: the `at|id` of the last row seen. */
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(500).default(100),
});
