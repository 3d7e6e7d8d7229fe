import { z } from 'zod';
import { Id } from './common.schema';

const FilePath = z.string().trim().min(1).max(4096);
export const BackupInput = z.object({ out: FilePath });
export const RestoreInput = z.object({ file: FilePath });
export const SetActingPerson = z.object({ personId: Id.nullable() });
export const Empty = z.object({}).default({});
export const SetProvider = z.object({ organizationId: Id.nullable() });
export const SetActingOrganization = z.object({ organizationId: Id.nullable() });
