import type { ErrorParams } from '#common/errors';
import type { z } from 'zod';
import { activityApi } from './activity.api';
import { addressesApi } from './addresses.api';
import { dashboardApi } from './dashboard.api';
import { exportsApi } from './exports.api';
import { firmApi } from './firm.api';
import { importsApi } from './imports.api';
import { invoicesApi } from './invoices.api';
import { jobsApi } from './jobs.api';
import { ledgerApi } from './ledger.api';
import { mailApi } from './mail.api';
import { membersApi } from './members.api';
import { type JobMethod, type MethodDef, mergeSections, type StreamMethod } from './method';
import { organizationsApi } from './organizations.api';
import { partnersApi } from './partners.api';
import { paymentsApi } from './payments.api';
import { peopleApi } from './people.api';
import { productsApi } from './products.api';
import { remindersApi } from './reminders.api';
import { ordersApi, renewalsApi } from './renewals.api';
import { receivedApi } from './received.api';
import { searchApi } from './search.api';
import { settingsApi } from './settings.api';
import { syncApi } from './sync.api';
import { systemApi } from './system.api';
import { tagsApi } from './tags.api';
import { teamsApi } from './teams.api';
import { vatApi } from './vat.api';

/**
 * The one API. Every door (Electron IPC, the loopback web host, the CLI) dispatches through
 * this map, so a method added here is reachable, validated and typed everywhere at once.
 * Each namespace is one file (`tags.*` in tags.api.ts); a name declared twice fails here, at
 * start.
 */
export const api = mergeSections({
  organizations: organizationsApi,
  vat: vatApi,
  people: peopleApi,
  members: membersApi,
  addresses: addressesApi,
  products: productsApi,
  tags: tagsApi,
  teams: teamsApi,
  invoices: invoicesApi,
  payments: paymentsApi,
  ledger: ledgerApi,
  exports: exportsApi,
  jobs: jobsApi,
  imports: importsApi,
  received: receivedApi,
  activity: activityApi,
  system: systemApi,
  settings: settingsApi,
  firm: firmApi,
  partners: partnersApi,
  sync: syncApi,
  renewals: renewalsApi,
  orders: ordersApi,
  reminders: remindersApi,
  search: searchApi,
  dashboard: dashboardApi,
  mail: mailApi,
});

export type Api = typeof api;
export type MethodName = keyof Api;
/** Methods answered with a value (queries, mutations, job starts). */
export type CallName = { [M in MethodName]: Api[M] extends StreamMethod ? never : M }[MethodName];
/** Methods whose answer is a file (the door decides where its bytes go). */
export type StreamName = { [M in MethodName]: Api[M] extends StreamMethod ? M : never }[MethodName];
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = Api[M] extends { kind: 'job' }
  ? import('../services/jobs.service').JobView
  : Api[M] extends MethodDef<z.ZodType, infer R>
    ? Awaited<R>
    : never;

/** What a finished job's `result` holds (jobs.get), by the method that started it. */
export type JobResult<M extends MethodName> =
  Api[M] extends JobMethod<z.ZodType, infer R> ? Awaited<R> : never;

/** The one error envelope of every door (router, CLI, hub): a code, its sentence, its parameters. */
export interface ApiError {
  code: string;
  message: string;
  params?: ErrorParams;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** What a stream method answers once its bytes are where the door put them. */
export type StreamOutcome =
  | { saved: true; fileName: string; bytes: number }
  | { saved: false; fileName: string };

/** Events pushed to every open screen. */
export interface ApiEvents {
  changed: { method: string };
}
