/**
 * The one failure of the sync wire, on both sides: the hub throws it and answers its envelope
 * `{ code, message, params }` (the same shape as every Kontor door's error, plus the hub's
 * clock), the device's client rebuilds it from that answer (or from a network failure) and the
 * engine turns its code into a translated status. Arguments in one order everywhere: what
 * happened (code), then how HTTP says it (status).
 */
export class HubFailure extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly params: Record<string, unknown> = {},
    readonly hubTime?: number,
  ) {
    super(message);
    this.name = 'HubFailure';
  }

  /** Worth retrying later with back-off (network, hub overloaded or restarting). */
  get transient(): boolean {
    return this.code === 'hub_unreachable' || this.status >= 500 || this.status === 429;
  }
}
