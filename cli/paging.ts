import { UsageError } from './usage';

/** `--limit N` and `--cursor C`, the same on every list command. */
export const PAGING_OPTIONS = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

export const PAGING_USAGE = '[--limit N] [--cursor C]';

/**
 * Up to --limit rows (without it: `defaultLimit`, Infinity for every row), from --cursor on, read with the router's keyset pages (at most 1000 a
 * call). When rows remain, their cursor goes to stderr as `next: C`, so that stdout stays the
 * list (or its JSON) and a script continues with `--cursor C`.
 */
export async function collectPages<Row>(
  values: { limit?: string; cursor?: string },
  err: (line: string) => void,
  defaultLimit: number,
  fetchPage: (cursor: string | null, limit: number) => Promise<{ rows: Row[]; nextCursor: string | null }>,
): Promise<Row[]> {
  const limit = values.limit === undefined ? defaultLimit : Number(values.limit);
  if (values.limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError('--limit must be a positive whole number');
  const rows: Row[] = [];
  let cursor: string | null = values.cursor ?? null;
  do {
    const page = await fetchPage(cursor, Math.min(1000, limit - rows.length));
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor && rows.length < limit);
  if (cursor) err(`next: ${cursor}`);
  return rows;
}
