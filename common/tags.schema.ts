import { z } from 'zod';
import { ActingOrganizationId, Color, Id } from './common.schema';

const TagName = z.string().trim().min(1).max(40);
export const ListTags = z.object({ organizationId: Id, actingOrganizationId: ActingOrganizationId });
export const CreateTag = z.object({ organizationId: Id, name: TagName, color: Color.optional() });
export const RenameTag = z.object({ tagId: Id, name: TagName });
export const RecolorTag = z.object({ tagId: Id, color: Color });
export const DeleteTag = z.object({ tagId: Id });
export const AssignTag = z.object({ tagId: Id, productIds: z.array(Id).min(1).max(100_000) });
