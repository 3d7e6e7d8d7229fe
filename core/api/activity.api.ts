import { z } from 'zod';
import { ListActivity } from '#common/activity.schema';
import { listActivity, listActivityActions } from '../services/activity.service';
import { query } from './method';

export const activityApi = {
  'activity.list': query(ListActivity, 'Recorded changes, newest first, filtered', listActivity),
  'activity.actions': query(z.object({}).default({}), 'Every action type recorded so far', (ctx) =>
    listActivityActions(ctx),
  ),
};
