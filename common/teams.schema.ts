import { z } from 'zod';
import { Id, Name } from './common.schema';

export const ListTeams = z.object({ organizationId: Id });
export const CreateTeam = z.object({
  organizationId: Id,
  name: Name,
  leaderPersonId: Id.nullish(),
  memberIds: z.array(Id).default([]),
  productIds: z.array(Id).default([]),
});
export const UpdateTeam = z.object({ id: Id, name: Name.optional(), leaderPersonId: Id.nullish() });
export const SetTeamMembers = z.object({ id: Id, personIds: z.array(Id).max(10_000) });
export const SetTeamProducts = z.object({ id: Id, productIds: z.array(Id).max(100_000) });
export const TeamRef = z.object({ id: Id });
