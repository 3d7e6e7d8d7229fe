import {
  AddMember,
  ChangeRole,
  CreatePerson,
  ListMembers,
  ListPeople,
  PersonRef,
  RemoveMember,
  UpdatePerson,
} from '#common/people.schema';
import {
  addMember,
  changeRole,
  createPerson,
  listMembers,
  listPeople,
  membershipsOf,
  removeMember,
  updatePerson,
} from '../services/people.service';
import { mutation, query } from './method';

export const peopleApi = {
  'people.list': query(ListPeople, 'People, searchable by name or e-mail', listPeople),
  'people.create': mutation(CreatePerson, 'Create a person (e-mail unique)', createPerson),
  'people.update': mutation(UpdatePerson, 'Change a person', updatePerson),
  'members.list': query(ListMembers, "An organization's members with their roles", (ctx, i) =>
    listMembers(ctx, i.organizationId),
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
  'people.memberships': query(PersonRef, 'The organizations a person belongs to, with the role', (ctx, i) =>
    membershipsOf(ctx, i.personId),
  ),
};
