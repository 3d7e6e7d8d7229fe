import { AddMember, ChangeRole, ListMembers, RemoveMember } from '#common/people.schema';
import { addMember, changeRole, listMembers, removeMember } from '../services/people.service';
import { mutation, query } from './method';

export const membersApi = {
  'members.list': query(ListMembers, "An organization's members with their roles", (ctx, i) =>
    listMembers(ctx, i.organizationId, i.actingOrganizationId),
  ),
  'members.add': mutation(AddMember, 'Add a member by person id or e-mail, with a role', addMember),
  'members.changeRole': mutation(
    ChangeRole,
    "Change a member's role (the last legal representative stays)",
    changeRole,
  ),
  'members.remove': mutation(
    RemoveMember,
    'Remove a member (never the last legal representative)',
    removeMember,
  ),
};
