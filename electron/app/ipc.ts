import type { KontorEventEnvelope } from '#core/api/bridge-types';
import type { ApiResult, StreamOutcome } from '#core/api/contract';
import type { Router } from '#core/api/router';
import { fileSink } from '#core/hosts/file-sink';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { isAppUrl } from './app-protocol';
import { EVENT_CHANNEL } from './channels';
import { desktopStrings } from './desktop-strings';

/**
 * The IPC door as plain functions: message-shape validation, sender validation, the invoke
 * handler and the change forwarder. main.ts passes Electron's objects in; their structural
 * types below are all these functions read.
 */

export interface InvokeMessage {
  method: string;
  input: unknown;
  locale: string | undefined;
}

export type ParsedMessage = { ok: true; value: InvokeMessage } | { ok: false; path: string; problem: string };

const METHOD_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const LOCALE_PATTERN = /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/;
const ALLOWED_KEYS = new Set(['method', 'input', 'locale']);

/**
 * Checks the shape of a 'kontor:invoke' message before anything else looks at it: a plain
 * object with only `method` (a dotted name), `input` (anything; the method's schema parses
 * it) and `locale` (a BCP 47-like tag, optional).
 */
export function parseInvokeMessage(message: unknown): ParsedMessage {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return { ok: false, path: '', problem: 'message must be an object' };
  }
  const prototype = Object.getPrototypeOf(message);
  if (prototype !== Object.prototype && prototype !== null) {
    return { ok: false, path: '', problem: 'message must be a plain object' };
  }
  for (const key of Object.keys(message)) {
    if (!ALLOWED_KEYS.has(key)) return { ok: false, path: key, problem: 'unexpected field' };
  }
  const record = message as Record<string, unknown>;
  const { method, input, locale } = record;
  if (
    typeof method !== 'string' ||
    method.length === 0 ||
    method.length > 200 ||
    !METHOD_PATTERN.test(method)
  ) {
    return { ok: false, path: 'method', problem: 'method must be a method name' };
  }
  if (
    locale !== undefined &&
    (typeof locale !== 'string' || locale.length > 64 || !LOCALE_PATTERN.test(locale))
  ) {
    return { ok: false, path: 'locale', problem: 'locale must be a language tag' };
  }
  return { ok: true, value: { method, input, locale } };
}

/** What the sender check reads from Electron's IpcMainInvokeEvent. */
export interface SenderFrameLike {
  readonly url: string;
  /** null for a top-level (main) frame. */
  readonly parent: unknown;
  readonly detached?: boolean;
}
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrameLike | null;
}

/**
 * A message is trusted only when it comes from the main frame of our own window's
 * webContents and that frame currently shows app://kontor/. A subframe, another
 * webContents, a frame that has navigated away (senderFrame null) or any other origin is
 * refused.
 */
export function isTrustedSender(event: InvokeEventLike, trustedWebContentsId: number | null): boolean {
  if (trustedWebContentsId === null || event.sender.id !== trustedWebContentsId) return false;
  const frame = event.senderFrame;
  if (!frame || frame.detached === true) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

export interface InvokeHandlerOptions {
  router: Pick<Router, 'invoke'>;
  /** The id of the one window's webContents, or null while there is none. */
  trustedWebContentsId(): number | null;
  /** Locale used when the message carries none (the OS locale). */
  fallbackLocale(): string;
  log?(message: string): void;
}

export type InvokeHandler = (event: InvokeEventLike, message: unknown) => Promise<ApiResult<unknown>>;

type Checked =
  | { ok: true; method: string; input: unknown; locale: string }
  | { ok: false; error: ApiResult<never> };

/** The sender and message checks both channels share; a refusal is already the envelope. */
function check(
  options: Pick<InvokeHandlerOptions, 'trustedWebContentsId' | 'fallbackLocale' | 'log'>,
  event: InvokeEventLike,
  message: unknown,
): Checked {
  const log = options.log ?? (() => {});
  const guessedLocale = localeHint(message) ?? options.fallbackLocale();
  if (!isTrustedSender(event, options.trustedWebContentsId())) {
    log(
      `[kontor] refused IPC from webContents ${event.sender.id} at ${event.senderFrame?.url ?? '(no frame)'}`,
    );
    return {
      ok: false,
      error: {
        ok: false,
        error: { code: 'forbidden_sender', message: desktopStrings(guessedLocale).dialog.forbiddenSender },
      },
    };
  }
  const parsed = parseInvokeMessage(message);
  if (!parsed.ok) {
    const issues = [{ path: parsed.path, message: parsed.problem }];
    const text = translateError('invalid_input', { issues }, resolveLocale(guessedLocale));
    return {
      ok: false,
      error: { ok: false, error: { code: 'invalid_input', message: text, params: { issues } } },
    };
  }
  const { method, input, locale } = parsed.value;
  return { ok: true, method, input, locale: locale ?? options.fallbackLocale() };
}

/** A last guard: the router answers every failure itself, so this only logs a bug in a door. */
function internal(
  options: { log?: (message: string) => void },
  method: string,
  locale: string,
  error: unknown,
) {
  options.log?.(
    `[kontor] ${method} threw past the router: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return {
    ok: false as const,
    error: { code: 'internal', message: translateError('internal', {}, resolveLocale(locale)) },
  };
}

/** The function bound to ipcMain.handle('kontor:invoke', …). It never throws. */
export function createInvokeHandler(options: InvokeHandlerOptions): InvokeHandler {
  return async (event, message) => {
    const checked = check(options, event, message);
    if (!checked.ok) return checked.error;
    try {
      return await options.router.invoke(checked.method, checked.input, {
        locale: checked.locale,
        door: 'ipc',
      });
    } catch (error) {
      return internal(options, checked.method, checked.locale, error);
    }
  };
}

export interface SaveHandlerOptions extends Omit<InvokeHandlerOptions, 'router'> {
  router: Pick<Router, 'stream'>;
  /**
   * The native save dialog (main.ts: dialog.showSaveDialog): the path the person chose for a
   * file suggested as `suggestedName`, or null when they cancelled.
   */
  chooseFile(suggestedName: string): Promise<string | null>;
}

export type SaveHandler = (event: InvokeEventLike, message: unknown) => Promise<ApiResult<StreamOutcome>>;

/**
 * The function bound to ipcMain.handle('kontor:save', …): a stream method's file, written
 * where the person chose in the save dialog. The page names the method and its input, never
 * a path. It never throws.
 */
export function createSaveHandler(options: SaveHandlerOptions): SaveHandler {
  return async (event, message) => {
    const checked = check(options, event, message);
    if (!checked.ok) return checked.error;
    try {
      return await options.router.stream(
        checked.method,
        checked.input,
        { locale: checked.locale, door: 'ipc' },
        fileSink((name) => options.chooseFile(name)),
      );
    } catch (error) {
      return internal(options, checked.method, checked.locale, error);
    }
  };
}

function localeHint(message: unknown): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const locale = (message as { locale?: unknown }).locale;
  return typeof locale === 'string' && locale.length <= 64 && LOCALE_PATTERN.test(locale)
    ? locale
    : undefined;
}

/**
 * Forwards the router's change notifications to the window. `send` is
 * webContents.send bound by main.ts (which skips a destroyed window).
 */
export function forwardChanges(
  router: Pick<Router, 'onChange'>,
  send: (channel: string, message: KontorEventEnvelope) => void,
): () => void {
  return router.onChange((payload) => {
    send(EVENT_CHANNEL, { name: 'changed', payload: { method: payload.method } });
  });
}
