import { AssignTag, CreateTag, DeleteTag, ListTags, RecolorTag, RenameTag } from '#common/tags.schema';
import {
  assignTag,
  createTag,
  deleteTag,
  listTags,
  recolorTag,
  renameTag,
  unassignTag,
} from '../services/tags.service';
import { mutation, query } from './method';

export const tagsApi = {
  'tags.list': query(ListTags, "An organization's tags with product counts", (ctx, i) =>
    listTags(ctx, i.organizationId, i.actingOrganizationId),
  ),
  'tags.create': mutation(CreateTag, 'Create a tag (name unique per organization, any case)', createTag),
  'tags.rename': mutation(RenameTag, 'Rename a tag', renameTag),
  'tags.recolor': mutation(RecolorTag, 'Change a tag colour', recolorTag),
  'tags.delete': mutation(DeleteTag, 'Delete a tag; it leaves every product', (ctx, i) =>
    deleteTag(ctx, i.tagId),
  ),
  'tags.assign': mutation(AssignTag, 'Put a tag on one or many products', assignTag),
  'tags.unassign': mutation(AssignTag, 'Take a tag off one or many products', unassignTag),
};
