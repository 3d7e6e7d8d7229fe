import {
  CreateTeam,
  ListTeams,
  SetTeamMembers,
  SetTeamProducts,
  TeamRef,
  UpdateTeam,
} from '#common/teams.schema';
import {
  createTeam,
  deleteTeam,
  getTeam,
  listTeams,
  setTeamMembers,
  setTeamProducts,
  updateTeam,
} from '../services/teams.service';
import { mutation, query } from './method';

export const teamsApi = {
  'teams.list': query(ListTeams, "An organization's work teams with members and products", (ctx, i) =>
    listTeams(ctx, i.organizationId),
  ),
  'teams.get': query(TeamRef, 'One work team', (ctx, i) => getTeam(ctx, i.id)),
  'teams.create': mutation(CreateTeam, 'Create a work team', createTeam),
  'teams.update': mutation(UpdateTeam, 'Rename a team or change its leader', updateTeam),
  'teams.setMembers': mutation(SetTeamMembers, "Set a team's members", setTeamMembers),
  'teams.setProducts': mutation(SetTeamProducts, 'Set the products a team may access', setTeamProducts),
  'teams.delete': mutation(TeamRef, 'Delete a work team', (ctx, i) => deleteTeam(ctx, i.id)),
};
