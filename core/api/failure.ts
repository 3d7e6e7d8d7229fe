import { ERROR_CODES, type ErrorCode, type ErrorParams, KontorError } from '#common/errors';
import { StoreError } from '#db/errors';

const knownCodes = new Set<string>(ERROR_CODES);

/** File-system failures a person can act on (choose another place, free some space). */
const PATH_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EBADF', 'EEXIST']);

/**
 * The one classification of a failure into a code and its parameters, for every door and
 * every kind of method (the router, jobs, streams, and the CLI for what fails before the
 * router exists, such as opening the store). Anything unforeseen is `internal`, and its
 * stack goes to the log, never to the caller.
 */
export function classify(
  error: unknown,
  where: string,
  log: (message: string) => void,
): [ErrorCode, ErrorParams] {
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
  if (error instanceof Error && error.name === 'AbortError') return ['cancelled', {}];
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
  if (error instanceof Error && code) {
    if (code.startsWith('SQLITE_')) {
      // Triggers raise with a Kontor error code as their message (e.g. an issued invoice).
      if (knownCodes.has(error.message)) return [error.message as ErrorCode, {}];
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return ['busy', {}];
      if (code.startsWith('SQLITE_CONSTRAINT')) return ['conflict', { detail: error.message }];
    }
    const file = 'path' in error && typeof error.path === 'string' ? error.path.replace(/\.part$/, '') : '';
    if (code === 'ENOSPC' || code === 'EDQUOT') return ['disk_full', { path: file }];
    if (PATH_ERRORS.has(code)) return ['export_path_invalid', { path: file }];
  }
  log(`[kontor] ${where} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return ['internal', {}];
}
