import { z } from 'zod';
import { Id, IsoDate } from './common.schema';
import { DOCUMENT_LOCALES } from './enums';
import { CSV_PROFILE_IDS } from './invoices.schema';

/** A received e-invoice's file: its name (shown in messages) and bytes (base64, never a path). */
export const ReceivedUpload = z.object({
  name: z.string().trim().min(1).max(255),
  // A Factur-X PDF of 50 MB is ~67 MB as base64; the reader refuses past its own limits.
  contentBase64: z.string().max(70_000_000),
});

export const ImportReceived = z.object({
  uploads: z.array(ReceivedUpload).min(1).max(200),
  /** The organization that received them; by default the one the buyer's identifiers name. */
  organizationId: Id.optional(),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
});
export type ImportReceived = z.infer<typeof ImportReceived>;

export const ReceivedFilters = z.object({
  organizationId: Id.optional(),
  status: z.enum(['all', 'open', 'paid']).default('all'),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Number or seller, case-insensitive. */
  search: z.string().trim().max(200).optional(),
});
export type ReceivedFilters = z.infer<typeof ReceivedFilters>;

export const ListReceived = ReceivedFilters.extend({
  limit: z.number().int().min(1).max(500).default(100),
  /** Keyset: the last row of the page before (newest first). */
  after: z.object({ issuedOn: IsoDate, id: Id }).optional(),
});

export const ReceivedRef = z.object({ id: Id });

export const MarkReceivedPaid = z.object({
  id: Id,
  /** The day it was paid; null marks it unpaid again. */
  paidOn: IsoDate.nullable(),
});

export const ReceivedFile = z.object({
  id: Id,
  /** The file as received (a PDF or an XML), or the XML alone (a Factur-X's embedded one). */
  part: z.enum(['original', 'xml']).default('original'),
});

export const ReceivedExport = z.object({
  format: z.enum(['csv', 'xlsx']),
  profile: z.enum(CSV_PROFILE_IDS).default('spreadsheet'),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
  filters: ReceivedFilters.default(ReceivedFilters.parse({})),
});
