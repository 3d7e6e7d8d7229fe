import type { ApiEvents, ApiResult, StreamOutcome } from './contract';

/**
 * What the preload exposes as `window.kontor` in the desktop app, and nothing more. It is the
 * transport: method names are strings and results untyped here; the renderer's API client
 * adds the per-method types from the contract on top. The renderer imports this type-only
 * (`import type { KontorBridge } from '…/core/api/bridge-types'`) and declares
 * `interface Window { kontor?: KontorBridge }` in its own global augmentation (one place, in
 * the renderer, so the two never clash).
 */
export interface KontorBridge {
  /**
   * Calls one API method. Resolves, never rejects, for an API failure:
   * `{ ok: true, value }` or `{ ok: false, error: { code, message } }`, the message in
   * `locale` (a tag such as 'fr-CH'; the page's language when omitted).
   */
  invoke(method: string, input: unknown, locale?: string): Promise<ApiResult<unknown>>;
  /**
   * Calls a stream method: the shell asks where to save in its native save dialog and writes
   * the file there. `saved: false` when the person cancelled. The page never names a path.
   */
  save(method: string, input: unknown, locale?: string): Promise<ApiResult<StreamOutcome>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends keyof ApiEvents>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** The message main.ts sends on the 'kontor:event' channel. */
export interface KontorEventEnvelope<E extends keyof ApiEvents = keyof ApiEvents> {
  name: E;
  payload: ApiEvents[E];
}
