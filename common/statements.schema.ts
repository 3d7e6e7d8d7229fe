import { z } from 'zod';
import { Id } from './common.schema';

/** A bank statement file (camt.053 / camt.054): its bytes as base64 (the page's upload, or what the CLI read). */
export const ImportStatement = z.object({
  fileName: z.string().min(1).max(255),
  contentBase64: z.string().max(80_000_000),
  /** Preview only: what each credit would become, nothing written. */
  dryRun: z.boolean().default(false),
});

export const AssignStatementEntry = z
  .object({
    entryId: Id.max(140),
    invoiceId: Id.optional(),
    organizationId: Id.optional(),
  })
  .refine((v) => (v.invoiceId ? 1 : 0) + (v.organizationId ? 1 : 0) === 1, {
    message: 'an invoice or an organization, one of them',
  });

export const StatementEntryRef = z.object({ entryId: Id.max(140) });
