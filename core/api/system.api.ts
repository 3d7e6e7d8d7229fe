import {
  BackupInput,
  Empty,
  RestoreInput,
  SetActingOrganization,
  SetActingPerson,
  SetProvider,
} from '#common/system.schema';
import { getSettings, setActingOrganization, setSetting } from '../services/settings.service';
import { backup, restore, systemInfo } from '../services/system.service';
import { mutation, query } from './method';

export const systemApi = {
  'system.info': query(Empty, 'Version, database file, device identity', (ctx) => systemInfo(ctx)),
  'system.backup': query(
    BackupInput,
    'Copy the database with SQLite online backup (safe while writing)',
    (ctx, i) => backup(ctx, i.out),
  ),
  'system.restore': mutation(
    RestoreInput,
    'Replace the database with a backup (the current file is kept aside)',
    (ctx, i) => restore(ctx, i.file),
  ),
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
