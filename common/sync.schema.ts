import { z } from 'zod';

export const SyncStatusInput = z.object({ locale: z.string().max(20).optional() }).default({});
export const SyncConfigure = z.object({
  hubUrl: z.string().trim().min(1).max(2000),
  enrollCode: z.string().trim().min(6).max(64).optional(),
  deviceName: z.string().trim().max(200).optional(),
});
export const SyncNow = z.object({}).default({});
export const SyncCancel = z.object({}).default({});
export const SyncRejectionsInput = z
  .object({
    includeResolved: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .default({ includeResolved: false, limit: 200 });
export const SyncResolve = z.object({
  id: z.number().int().positive(),
  choice: z.enum(['keepMine', 'acceptTheirs']),
});
