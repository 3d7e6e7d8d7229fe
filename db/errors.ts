// Errors the store raises before any service runs (opening, migrating, restoring). They
// carry a code the doors translate, like the services' errors.
export class StoreError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'StoreError';
  }
}
