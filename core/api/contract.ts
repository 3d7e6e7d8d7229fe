import type { z } from 'zod';
import { activityApi } from './activity.api';
import { addressesApi } from './addresses.api';
import { clientExportsApi } from './client-exports.api';
import { exportsApi } from './exports.api';
import { importsApi } from './imports.api';
import { invoicesApi } from './invoices.api';
import { ledgerApi } from './ledger.api';
import type { ApiSection } from './method';
import { organizationsApi } from './organizations.api';
import { partnersApi } from './partners.api';
import { peopleApi } from './people.api';
import { productsApi } from './products.api';
import { syncApi } from './sync.api';
import { systemApi } from './system.api';
import { tagsApi } from './tags.api';
import { teamsApi } from './teams.api';

/**
 * The one API. Every door (Electron IPC, the loopback web host, the CLI) dispatches through
 * this map, so a method added here is reachable, validated and typed everywhere at once.
 */
export const api = {
  ...organizationsApi,
  ...peopleApi,
  ...addressesApi,
  ...productsApi,
  ...tagsApi,
  ...teamsApi,
  ...invoicesApi,
  ...ledgerApi,
  ...exportsApi,
  ...importsApi,
  ...activityApi,
  ...systemApi,
  ...partnersApi,
  ...clientExportsApi,
  ...syncApi,
} satisfies ApiSection;

export type Api = typeof api;
export type MethodName = keyof Api;
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = Awaited<ReturnType<Api[M]['run']>>;

export interface ApiError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Events pushed to every open screen. */
export interface ApiEvents {
  changed: { method: string };
}
