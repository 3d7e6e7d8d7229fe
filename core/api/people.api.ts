import { CreatePerson, ListPeople, PersonRef, UpdatePerson } from '#common/people.schema';
import { createPerson, listPeople, membershipsOf, updatePerson } from '../services/people.service';
import { mutation, query } from './method';

export const peopleApi = {
  'people.list': query(ListPeople, 'People, searchable by name or e-mail', listPeople),
  'people.create': mutation(CreatePerson, 'Create a person (e-mail unique)', createPerson),
  'people.update': mutation(UpdatePerson, 'Change a person', updatePerson),
  'people.memberships': query(PersonRef, 'The organizations a person belongs to, with the role', (ctx, i) =>
    membershipsOf(ctx, i.personId),
  ),
};
