import type { HubStore } from '../store/types';
import { HubFailure } from '#common/sync/hub-failure';

// Enrollment codes are secrets typed by people: failed attempts are counted per address and
// per device id (and per user, when a code was used or expired) in the hub's store, so every
// hub process serving one database counts the same. Successful enrollments are not counted.

export const ENROLL_WINDOW_MS = 10 * 60_000;
export const ENROLL_MAX_FAILURES = { address: 20, device: 10, user: 10 } as const;

export async function refuseWhenThrottled(store: HubStore, keys: string[], now: number): Promise<void> {
  const since = now - ENROLL_WINDOW_MS;
  const counts = await store.read(async (sql) =>
    Promise.all(
      keys.map(async (k) => {
        const r = await sql.all<{ n: number; first: number | null }>(
          'SELECT COUNT(*) AS n, MIN(at) AS first FROM hub_enroll_attempts WHERE key = ? AND at > ?',
          [k, since],
        );
        return { key: k, n: Number(r[0]?.n ?? 0), first: Number(r[0]?.first ?? now) };
      }),
    ),
  );
  for (const c of counts) {
    const kind = c.key.slice(0, c.key.indexOf(':')) as keyof typeof ENROLL_MAX_FAILURES;
    if (c.n >= ENROLL_MAX_FAILURES[kind]) {
      throw new HubFailure(
        'enroll_throttled',
        429,
        'too many failed enrollment attempts: wait and try again',
        {
          retryAfterSeconds: Math.max(1, Math.ceil((c.first + ENROLL_WINDOW_MS - now) / 1000)),
        },
      );
    }
  }
}

export async function recordFailure(store: HubStore, keys: string[], now: number): Promise<void> {
  await store.write(async (sql) => {
    await sql.run('DELETE FROM hub_enroll_attempts WHERE at <= ?', [now - ENROLL_WINDOW_MS]);
    for (const k of keys) await sql.run('INSERT INTO hub_enroll_attempts (key, at) VALUES (?, ?)', [k, now]);
  });
}
