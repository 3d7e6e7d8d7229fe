// The renderer's one door to Kontor. In Electron the preload bridge carries calls over IPC; in
// a browser the loopback web host carries them over HTTP with a per-start token. Both answer
// with the same ApiResult, so everything above this file is transport-agnostic.

import { type ErrorParams, isMoneyParam } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import type { KontorBridge } from '#core/api/bridge-types';
import type {
  ApiResult,
  CallName,
  MethodInput,
  MethodName,
  MethodOutput,
  StreamName,
  StreamOutcome,
} from '#core/api/contract';
import { regionFor } from '../i18n/regions';

export type { CallName, MethodInput, MethodName, MethodOutput, StreamName };

export interface ChangeEvent {
  method: string;
}

declare global {
  interface Window {
    kontor?: KontorBridge;
  }
}

/** A refused call: `message` is already in the user's language (the server translated it). */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, unknown> = {},
    readonly method?: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

const TOKEN_KEY = 'kontor.token';
let locale = 'en';
/** Messages for failures that never reached Kontor (the network itself). Set by i18n. */
let offlineMessage = 'Kontor is not reachable. Is it still running?';

/**
 * A refusal that names amounts, worded again here: Kontor words it in the caller's language,
 * but only this screen knows the region the person writes numbers in (Settings). Also for
 * refusals that come inside a result (a job's error, a payer a billing run could not bill).
 */
export function inRegion(code: string, message: string, params: ErrorParams): string {
  if (!Object.values(params).some(isMoneyParam)) return message;
  return translateError(code, params, locale, regionFor(locale));
}

export function setApiLocale(next: string, unreachable: string): void {
  locale = next;
  offlineMessage = unreachable;
}

export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.kontor !== undefined;
}

/**
 * Reads the web host's token from `?token=` once, keeps it for this tab only
 * (sessionStorage), and takes it out of the address bar so it is not bookmarked, shared or
 * kept in history.
 */
export function captureToken(): void {
  if (isElectron()) return;
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** Set when this tab has no token but the host's session cookie lets it in (a second tab). */
let cookieAccess = false;

/**
 * A tab opened on the bare address (a second tab, a bookmark) has no token of its own; the
 * cookie the token link set is HttpOnly, so only the host can say whether it lets this tab in.
 */
export async function checkCookieAccess(): Promise<void> {
  if (isElectron() || sessionStorage.getItem(TOKEN_KEY) !== null) return;
  try {
    const response = await fetch('/api/session', { cache: 'no-store' });
    cookieAccess = response.ok;
  } catch {
    cookieAccess = false;
  }
}

export function hasToken(): boolean {
  return isElectron() || sessionStorage.getItem(TOKEN_KEY) !== null || cookieAccess;
}

function token(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** One call to the web host, with the session's token and language; no answer at all is "unreachable". */
async function post(path: '/api/invoke' | '/api/stream', method: string, input: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Kontor-Token': token(), 'X-Kontor-Locale': locale },
      body: JSON.stringify({ method, input }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiCallError('unreachable', offlineMessage, {}, method);
  }
}

async function invokeHttp(method: string, input: unknown): Promise<ApiResult<unknown>> {
  const response = await post('/api/invoke', method, input);
  // Refusals (bad token, wrong host) also come back as an ApiResult, with a non-200 status.
  try {
    return (await response.json()) as ApiResult<unknown>;
  } catch {
    throw new ApiCallError('unreachable', offlineMessage, { status: response.status }, method);
  }
}

export async function call<M extends CallName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = window.kontor
    ? await window.kontor.invoke(method, input, locale)
    : await invokeHttp(method, input);
  if (!result.ok) {
    const { code, message, params } = result.error;
    throw new ApiCallError(code, inRegion(code, message, params ?? {}), params ?? {}, method);
  }
  return result.value as MethodOutput<M>;
}

// ---- change events -----------------------------------------------------------------------

export type ConnectionState = 'connecting' | 'live' | 'retrying' | 'refused';
type StateListener = (state: ConnectionState) => void;

let connectionState: ConnectionState = 'connecting';
const stateListeners = new Set<StateListener>();

function setState(next: ConnectionState): void {
  if (next === connectionState) return;
  connectionState = next;
  for (const listener of stateListeners) listener(next);
}

export function getConnectionState(): ConnectionState {
  return connectionState;
}

export function onConnectionState(listener: StateListener): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/**
 * Subscribes to `changed` events. Over HTTP the stream is read with fetch (the token is a
 * header, which EventSource cannot send) and reopened with exponential back-off; `onResync`
 * runs after a reconnection, since events sent while the stream was down are lost.
 */
export function subscribeChanges(onChange: (event: ChangeEvent) => void, onResync: () => void): () => void {
  if (window.kontor) {
    setState('live');
    return window.kontor.on('changed', onChange);
  }
  const controller = new AbortController();
  let delay = 1000;
  let connectedBefore = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async (): Promise<void> => {
    try {
      const response = await fetch('/api/events', {
        headers: { 'X-Kontor-Token': token(), Accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401 || response.status === 403) {
        setState('refused');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
      setState('live');
      if (connectedBefore) onResync();
      connectedBefore = true;
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const blocks = buffer.split(/\r?\n\r?\n/);
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block
            .split(/\r?\n/)
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (!data) continue;
          try {
            const event = JSON.parse(data) as ChangeEvent;
            if (typeof event.method === 'string') onChange(event);
          } catch {
            // A malformed event is skipped; the next one still arrives.
          }
        }
      }
      throw new Error('events: stream ended');
    } catch {
      if (controller.signal.aborted) return;
      setState('retrying');
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void connect();
  return () => {
    controller.abort();
    if (timer) clearTimeout(timer);
  };
}

// ---- files (stream methods) --------------------------------------------------------------

/**
 * Where a file went: in a browser, its name in the downloads; in the desktop app, the path the
 * person chose in the save dialog (`saved: false` when they cancelled it).
 */
export interface SaveResult {
  saved: boolean;
  fileName: string;
  bytes: number;
}

/** Saves bytes the renderer already holds under `fileName`, through the browser. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL only has to outlive this turn.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

function failed(result: ApiResult<unknown>, method: string): never {
  if (!result.ok) {
    const { code, message, params } = result.error;
    throw new ApiCallError(code, inRegion(code, message, params ?? {}), params ?? {}, method);
  }
  throw new ApiCallError('unreachable', offlineMessage, {}, method);
}

/**
 * A file made by Kontor (a stream method) and saved by the person. The page never names a
 * path: in the desktop app the shell asks where in its native save dialog and writes there;
 * in a browser the web host streams it (`POST /api/stream`) and the browser saves it.
 */
export async function save<M extends StreamName>(method: M, input: MethodInput<M>): Promise<SaveResult> {
  if (window.kontor) {
    const result: ApiResult<StreamOutcome> = await window.kontor.save(method, input, locale);
    if (!result.ok) failed(result, method);
    return result.value.saved
      ? { saved: true, fileName: result.value.fileName, bytes: result.value.bytes }
      : { saved: false, fileName: result.value.fileName, bytes: 0 };
  }
  const response = await post('/api/stream', method, input);
  if (!response.ok) {
    let result: ApiResult<unknown> | null = null;
    try {
      result = (await response.json()) as ApiResult<unknown>;
    } catch {
      result = null;
    }
    if (result) failed(result, method);
    throw new ApiCallError('unreachable', offlineMessage, { status: response.status }, method);
  }
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    // The stream broke halfway (the host logged why): nothing complete to save.
    throw new ApiCallError('unreachable', offlineMessage, {}, method);
  }
  const fileName = fileNameOf(response.headers.get('Content-Disposition'), method);
  saveBlob(blob, fileName);
  return { saved: true, fileName, bytes: blob.size };
}
