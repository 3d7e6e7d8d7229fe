import {
  ActingClassOn,
  Empty,
  SetActingOrganization,
  SetActingPerson,
  SetProvider,
} from '#common/system.schema';
import { actorOn } from '../services/authority';
import { getSettings, setActingOrganization, setSetting } from '../services/settings.service';
import { mutation, query } from './method';

export const settingsApi = {
  'settings.get': query(Empty, 'Database settings', (ctx) => getSettings(ctx)),
  // The renderer hides what the write path would refuse: the same judgment, from the same store.
  'settings.actingClass': query(
    ActingClassOn,
    'What the acting person is on an organization, as every write is judged (common/authority)',
    (ctx, i) => ({ actor: actorOn(ctx, i.organizationId) }),
  ),
  'settings.setActingPerson': mutation(
    SetActingPerson,
    'Who the changes made here are recorded as',
    (ctx, i) => setSetting(ctx, 'actingPersonId', i.personId),
  ),
  'settings.setProvider': mutation(SetProvider, 'Which organization issues invoices by default', (ctx, i) =>
    setSetting(ctx, 'providerOrganizationId', i.organizationId),
  ),
  'settings.setActingOrganization': mutation(
    SetActingOrganization,
    'Which organization the acting person works for here (one they are a member of)',
    (ctx, i) => setActingOrganization(ctx, i.organizationId),
  ),
};
