import {
  SyncCancel,
  SyncConfigure,
  SyncNow,
  SyncRejectionsInput,
  SyncResolve,
  SyncStatusInput,
} from '#common/sync.schema';
import {
  cancelSync,
  configureSync,
  listRejections,
  resolveRejection,
  syncNow,
  syncStatus,
} from '../services/sync.service';
import { mutation, query } from './method';

export const syncApi = {
  'sync.status': query(
    SyncStatusInput,
    'Hub, last sync, pending and refused changes, read-only state',
    (ctx, i) => syncStatus(ctx, i.locale),
  ),
  'sync.configure': mutation(
    SyncConfigure,
    'Set the hub address; with a code, enroll this device',
    configureSync,
  ),
  'sync.now': mutation(SyncNow, 'Sync with the hub now (push, then pull)', (ctx) => syncNow(ctx)),
  'sync.cancel': mutation(
    SyncCancel,
    'Stop the sync in progress; what it received is kept and the next sync continues from there',
    (ctx) => cancelSync(ctx),
  ),
  'sync.rejections': query(SyncRejectionsInput, 'Changes the hub refused, with its reasons', (ctx, i) =>
    listRejections(ctx, i),
  ),
  'sync.resolve': mutation(
    SyncResolve,
    'Resolve a refused change: keep mine (as a new draft) or accept theirs',
    resolveRejection,
  ),
};
