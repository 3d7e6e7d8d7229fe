import { Empty, SetActingOrganization, SetActingPerson, SetProvider } from '#common/system.schema';
import { getSettings, setActingOrganization, setSetting } from '../services/settings.service';
import { mutation, query } from './method';

export const settingsApi = {
  'settings.get': query(Empty, 'Database settings', (ctx) => getSettings(ctx)),
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
