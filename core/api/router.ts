import type { z } from 'zod';
import { StoreError } from '#db/errors';
import { ERROR_CODES, type ErrorCode, type ErrorParams, KontorError } from '#common/errors';
import { type FieldIssue, translateError, translateIssue } from '#common/i18n/errors';
import { type Locale, resolveLocale } from '#common/i18n/locale';
import type { Ctx } from '../services/context';
import { type Api, type ApiError, type ApiResult, api } from './contract';
import type { MethodDef } from './method';

export interface InvokeOptions {
  locale?: string;
}

export interface MethodInfo {
  name: string;
  summary: string;
  mutates: boolean;
  inputSchema: unknown;
}

export type ChangeListener = (event: { method: string }) => void;

export interface Router {
  invoke(method: string, input: unknown, options?: InvokeOptions): Promise<ApiResult<unknown>>;
  methods(): MethodInfo[];
  onChange(listener: ChangeListener): () => void;
}

const methods = api as unknown as Record<string, MethodDef>;
const knownCodes = new Set<string>(ERROR_CODES);

/**
 * Dispatches one call: looks the method up, parses the input with its schema, runs it, and
 * turns every failure into `{ code, message }` in the caller's language. Nothing but a
 * translated message crosses a door; stacks go to the log.
 */
export function createRouter(getCtx: () => Ctx, log: (message: string) => void = console.error): Router {
  const listeners = new Set<ChangeListener>();
  return {
    async invoke(name, input, options = {}) {
      const locale = resolveLocale(options.locale);
      const def = Object.hasOwn(methods, name) ? methods[name] : undefined;
      if (!def) return failure('unknown_method', { method: name }, locale);
      const parsed = def.input.safeParse(input ?? {});
      if (!parsed.success)
        return failure('invalid_input', { issues: issuesOf(parsed.error, input, locale) }, locale);
      try {
        const value = await def.run(getCtx(), parsed.data);
        if (def.mutates) for (const listener of listeners) listener({ method: name });
        return { ok: true, value: value === undefined ? null : value };
      } catch (error) {
        return failure(...classify(error, name, log), locale);
      }
    },
    methods() {
      return Object.entries(methods).map(([name, def]) => ({
        name,
        summary: def.summary,
        mutates: def.mutates,
        inputSchema: safeJsonSchema(def.input),
      }));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function failure(code: string, params: ErrorParams, locale: Locale): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message: translateError(code, params, locale), params: { ...params } } };
}

function classify(error: unknown, method: string, log: (message: string) => void): [ErrorCode, ErrorParams] {
  if (error instanceof KontorError) return [error.code, error.params];
  if (error instanceof StoreError && knownCodes.has(error.code))
    return [error.code as ErrorCode, error.params];
  if (error instanceof Error && error.name === 'QrBillError') {
    const detail = error as Error & { code?: string; field?: string };
    return [
      'qr_bill_invalid',
      { reason: detail.code ?? '', field: detail.field ?? '', detail: error.message },
    ];
  }
  if (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('SQLITE_')
  ) {
    // Triggers raise with a Kontor error code as their message (e.g. an issued invoice).
    if (knownCodes.has(error.message)) return [error.message as ErrorCode, {}];
    if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED') return ['busy', {}];
    if (error.code.startsWith('SQLITE_CONSTRAINT')) return ['conflict', { detail: error.message }];
  }
  log(
    `[kontor] ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return ['internal', {}];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issuesOf(error: z.ZodError, input: unknown, locale: Locale): FieldIssue[] {
  return error.issues.map((issue) => {
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    const kind = missing
      ? 'required'
      : issue.code === 'too_small' || issue.code === 'too_big'
        ? issue.code
        : 'invalid';
    return { path: issue.path.join('.'), message: translateIssue(locale, kind) };
  });
}

function safeJsonSchema(schema: z.ZodType): unknown {
  try {
    return (schema as unknown as { toJSONSchema?: () => unknown }).toJSONSchema?.() ?? null;
  } catch {
    return null;
  }
}

export type { Api };
