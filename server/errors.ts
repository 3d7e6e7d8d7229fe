/** A refusal the HTTP layer turns into a HubError body with this status. */
export class HubFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HubFailure';
  }
}
