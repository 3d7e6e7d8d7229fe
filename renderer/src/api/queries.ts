import {
  keepPreviousData,
  QueryClient,
  type QueryKey,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useToast } from '../ui/Toast';
import { ApiCallError, type CallName, call, type MethodInput, type MethodOutput } from './client';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Data changes arrive as `changed` events, so cached answers stay good for a while.
      staleTime: 15_000,
      retry: (failures, error) =>
        failures < 2 && error instanceof ApiCallError && error.code === 'unreachable',
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

/** Query keys are `[method, input]`: the method's domain (`tags` in `tags.list`) drives invalidation. */
export function apiKey<M extends CallName>(method: M, input: MethodInput<M>): QueryKey {
  return [method, input];
}

interface ApiQueryOptions {
  enabled?: boolean;
  /** Keep showing the previous answer while a changed input loads (search boxes, filters). */
  keepPrevious?: boolean;
  staleTime?: number;
}

export function useApi<M extends CallName>(method: M, input: MethodInput<M>, options: ApiQueryOptions = {}) {
  return useQuery<MethodOutput<M>, Error>({
    queryKey: apiKey(method, input),
    queryFn: () => call(method, input),
    enabled: options.enabled ?? true,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    staleTime: options.staleTime,
  });
}

interface ApiMutationOptions<M extends CallName> {
  onSuccess?: (value: MethodOutput<M>, input: MethodInput<M>) => void;
  onError?: (error: Error, input: MethodInput<M>) => void;
}

export function useApiMutation<M extends CallName>(method: M, options: ApiMutationOptions<M> = {}) {
  const client = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => call(method, input),
    onSuccess: (value, input) => {
      invalidateAfter(client, method);
      options.onSuccess?.(value, input);
    },
    onError: (error, input) => options.onError?.(error, input),
  });
}

/**
 * A mutation whose outcome is a toast: `said(answer)` when it is done, its translated refusal
 * when not — for buttons acting on a row (accept, refuse, withdraw), where no form holds an
 * error line.
 */
export function useToastedMutation<M extends CallName>(method: M, said: (value: MethodOutput<M>) => string) {
  const toast = useToast();
  return useApiMutation(method, {
    onSuccess: (value) => toast.success(said(value)),
    onError: (e) => toast.error(e.message),
  });
}

// Which cached domains a change in one domain can make stale. Every mutation is recorded in
// the activity log, so `activity` is always refreshed.
const AFFECTS: Record<string, readonly string[]> = {
  organizations: ['organizations'],
  people: ['people', 'members', 'teams'],
  members: ['members', 'organizations', 'teams', 'people'],
  addresses: ['addresses', 'organizations', 'products'],
  products: ['products', 'tags', 'organizations', 'teams'],
  tags: ['tags', 'products', 'organizations'],
  teams: ['teams'],
  settings: ['settings'],
  // Money moves between invoices and the prepaid account (payments, refunds by credit note).
  invoices: ['invoices', 'ledger'],
  payments: ['invoices', 'ledger', 'payments'],
  ledger: ['ledger', 'invoices'],
  jobs: ['jobs'],
  received: ['received'],
  // The outbox and the Send dialog's preview (templates, settings).
  mail: ['mail'],
};

const NOTHING_WRITTEN = new Set(['vat.check', 'invoices.checkIssue', 'imports.preview']);

const pending = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Marks the domains touched by `method` stale. Our own mutation and the `changed` event the
 * host sends for it arrive within milliseconds; coalescing them means one refetch, not two.
 */
export function invalidateAfter(client: QueryClient, method: string): void {
  // A read that runs through a mutation hook, and the dry runs (issuing, an import's preview):
  // mutations by kind that leave nothing written.
  if (NOTHING_WRITTEN.has(method)) return;
  const domain = method.split('.')[0] ?? '';
  const affected = AFFECTS[domain];
  if (!affected) pending.add('*');
  else for (const d of affected) pending.add(d);
  pending.add('activity');
  // The one search reads every kind of row (search.all).
  pending.add('search');
  // Money at a glance sums invoices, payments, balances and renewals.
  pending.add('dashboard');
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    const domains = new Set(pending);
    pending.clear();
    void client.invalidateQueries(
      {
        predicate: (query) => {
          if (domains.has('*')) return true;
          const head = query.queryKey[0];
          return typeof head === 'string' && domains.has(head.split('.')[0] ?? '');
        },
      },
      { cancelRefetch: false },
    );
  }, 40);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiCallError ? error.code : undefined;
}
