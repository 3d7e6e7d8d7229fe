import fs from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import { backendCpuDuring } from '../bench/cpu';
import { freshPostgresDatabase } from '../helpers/hub';

// The hub benchmark's PostgreSQL CPU (test/bench/cpu.ts backendCpuDuring): a backend that works
// and exits during the measured run — a hub renewing its pool connections as it grows — counts.
// Read only at both ends, its share was lost whole, and the empty hub's figure with it.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const onCpuSeconds = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;

it('counts the CPU of a backend that exited before the run ended', async () => {
  const db = await freshPostgresDatabase();
  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  try {
    const during = await backendCpuDuring(watcher, 20);
    const worker = new pg.Client({ connectionString: db.url });
    await worker.connect();
    const pid = (await worker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await worker.query('SELECT count(*) FROM generate_series(1, 2000000)');
    const spent = onCpuSeconds(pid);
    // Long enough for a reading or two after the work, then the backend goes.
    await sleep(100);
    await worker.end();
    for (let waited = 0; waited < 3_000 && fs.existsSync(`/proc/${pid}`); waited += 20) await sleep(20);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    const counted = await during.stop();
    expect(spent).toBeGreaterThan(0.05);
    expect(counted).toBeGreaterThanOrEqual(spent * 0.99);
  } finally {
    await watcher.end();
    await db.drop();
  }
});
