import { z } from 'zod';
import { ROLES } from './enums';
import { ActingOrganizationId, Id, Name } from './common.schema';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'not an e-mail address' }));

export const CreatePerson = z.object({ name: Name, email: Email, avatar: z.string().max(350_000).nullish() });
export const UpdatePerson = z.object({ id: Id, name: Name.optional(), email: Email.optional() });
export const ListPeople = z.object({ search: z.string().max(200).optional() }).default({});

export const ListMembers = z.object({ organizationId: Id, actingOrganizationId: ActingOrganizationId });
export const AddMember = z.object({
  organizationId: Id,
  personId: Id.optional(),
  // Invite by e-mail: the person is created when unknown.
  email: Email.optional(),
  name: Name.optional(),
  role: z.enum(ROLES),
  external: z.boolean().default(false),
});
export const ChangeRole = z.object({ organizationId: Id, personId: Id, role: z.enum(ROLES) });
export const RemoveMember = z.object({ organizationId: Id, personId: Id });
export const PersonRef = z.object({ personId: Id });
