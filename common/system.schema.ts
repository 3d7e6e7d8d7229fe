import { z } from 'zod';
import { Id } from './common.schema';

/** A file-system path: only in inputs of methods the 'local' door alone may call. */
const FilePath = z.string().trim().min(1).max(4096);
export const BackupInput = z.object({ out: FilePath });
export const RestoreInput = z.object({ file: FilePath });
/** A backup chosen in the page (its bytes; the database is capped by the door's body limit). */
export const RestoreUpload = z.object({
  fileName: z.string().max(255).default('backup.sqlite'),
  contentBase64: z.string().min(1).max(2_000_000_000),
});
export const SetActingPerson = z.object({ personId: Id.nullable() });
export const Empty = z.object({}).default({});
export const SetProvider = z.object({ organizationId: Id.nullable() });
export const SetActingOrganization = z.object({ organizationId: Id.nullable() });
/** An organization to judge the acting person on (null: the firm's price book). */
export const ActingClassOn = z.object({ organizationId: Id.nullable() });
