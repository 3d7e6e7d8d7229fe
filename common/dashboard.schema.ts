import { z } from 'zod';
import { ActingOrganizationId, Id, IsoDate } from './common.schema';

/** The age of what is still due, by days past the due date. */
export const AGE_BUCKETS = ['notDue', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export const MoneyAtAGlance = z.object({
  /** One organization's overview; left out, the whole book (the home dashboard). */
  organizationId: Id.optional(),
  actingOrganizationId: ActingOrganizationId,
  /** The day the ages and the 12 months are counted from (today by default). */
  today: IsoDate.optional(),
});
