// Many devices pushing to disjoint organizations through real hub processes on one
// PostgreSQL (server/HUB.md "No global lock"), beside the same run's 20-device figure of the
// workload the issue measured before (small batches, one organization, one process).
import crypto from 'node:crypto';
import pg from 'pg';
import { HubHttpError, type TestDevice, enrolledDevice } from '../helpers/hub';
import { organization, product } from '../helpers/hub-fixtures';
import { type HubProcess, spawnHub } from '../helpers/hub-process';
import { closeHubConnections, pushOverHttp } from './hub-client';
import { preloadOtherOrganizations } from './hub-preload';
import { backendCpuDuring, cpuSeconds, machineBusySeconds, ownCpuSeconds } from './cpu';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PushFigures {
  devices: number;
  hubProcesses: number;
  changesPerBatch: number;
  batches: number;
  changesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** 429 answers (busy hub) waited out, as a device does. */
  busy: number;
  /**
   * Connections to the database opened during the run (pg_stat_database.sessions): each a new
   * backend, its statements prepared and planned again (a pool that closes connections, such as
   * on the hub's growth: server/store/postgres-plans.ts `PlanAges`, pays it in its pushes).
   */
  connectionsOpened: number;
  /**
   * CPU milliseconds per change pushed, by who spent them: the hub processes, PostgreSQL's
   * backends serving the hub's database, this process (the simulated devices), and the rest
   * of the machine (other processes of a shared machine: zero-ish on a quiet one).
   */
  cpuMsPerChange: { hub: number; postgres: number; devices: number; rest: number };
}

/** Sessions ever opened to the bench's database (this client's own included). */
async function sessionsOf(db: pg.Client): Promise<number> {
  // The statistics of other backends reach the view within a second (PostgreSQL 15).
  await sleep(1_100);
  const r = await db.query<{ n: number }>(
    'SELECT sessions::int AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return r.rows[0]?.n ?? 0;
}

/** A push as a device makes it: a busy hub's Retry-After is waited out (counted in its latency). */
async function pushLikeADevice(
  d: TestDevice,
  changes: Parameters<TestDevice['push']>[0],
  busy: { n: number },
) {
  const batchId = crypto.randomUUID();
  for (;;) {
    try {
      return await pushOverHttp(d, changes, batchId);
    } catch (error) {
      if (!(error instanceof HubHttpError) || error.status !== 429) throw error;
      busy.n++;
      await sleep(Number(error.body.params.retryAfterSeconds ?? 1) * 1000);
    }
  }
}

/** 20 changes: two new products and four later edits of their names (six device writes). */
function batchOf20(d: TestDevice, org: string, tag: string) {
  const a = product(d, `${tag}-a`, org);
  const b = product(d, `${tag}-b`, org);
  const edits = [0, 1, 2, 3].map((i) => ({
    table: 'products',
    rowId: `${tag}-${i % 2 ? 'b' : 'a'}`,
    column: 'name',
    value: JSON.stringify(`${tag} v${i}`),
    hlc: d.hlc(),
  }));
  return [...a, ...b, ...edits];
}

async function run(
  db: pg.Client,
  hubs: HubProcess[],
  count: number,
  perDevice: number,
  shape: 'disjoint' | 'shared',
  thinkMs: number,
  oneUser = false,
): Promise<PushFigures> {
  const devices: TestDevice[] = [];
  for (let i = 0; i < count; i++) {
    // Disjoint: each device a user of its own (a partner and its organization) unless
    // `oneUser` (every device the firm's one administrator, who sees every organization: its
    // scope, read on every push, grows with them). Shared: one user, one organization.
    const user = shape === 'disjoint' && !oneUser ? `bench-${crypto.randomBytes(4).toString('hex')}` : 'bench';
    const d = await enrolledDevice(hubs[0]!.url, user);
    d.hubUrl = hubs[i % hubs.length]!.url;
    devices.push(d);
  }
  const shared = `org-shared-${crypto.randomBytes(4).toString('hex')}`;
  const busy = { n: 0 };
  if (shape === 'shared') await devices[0]!.push(organization(devices[0]!, shared));
  else await Promise.all(devices.map((d) => pushLikeADevice(d, organization(d, `org-${d.id}`), busy)));
  busy.n = 0;
  const latencies: number[] = [];
  let changes = 0;
  const hubCpu = () => hubs.reduce((n, h) => n + cpuSeconds(h.child.pid!), 0);
  const sessions0 = await sessionsOf(db);
  const pg0 = await backendCpuDuring(db);
  const cpu0 = { hub: hubCpu(), own: ownCpuSeconds(), machine: machineBusySeconds() };
  const t = performance.now();
  await Promise.all(
    devices.map(async (d, n) => {
      // Devices do not start in lock step.
      await sleep(Math.random() * thinkMs);
      for (let i = 0; i < perDevice; i++) {
        const batch =
          shape === 'disjoint' ? batchOf20(d, `org-${d.id}`, `b${n}-${i}`) : product(d, `s${n}-${i}`, shared);
        const s = performance.now();
        await pushLikeADevice(d, batch, busy);
        latencies.push(performance.now() - s);
        changes += batch.length;
        if (thinkMs > 0) await sleep(Math.random() * 2 * thinkMs);
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  const hub = hubCpu() - cpu0.hub;
  const postgres = await pg0.stop();
  const own = ownCpuSeconds() - cpu0.own;
  const machine = machineBusySeconds() - cpu0.machine;
  const connectionsOpened = (await sessionsOf(db)) - sessions0;
  const perChange = (s: number) => Math.round((s * 1e6) / changes) / 1000;
  return {
    devices: count,
    hubProcesses: hubs.length,
    changesPerBatch: shape === 'disjoint' ? 20 : 8,
    batches: latencies.length,
    changesPerSecond: Math.round(changes / seconds),
    p50Ms: Math.round(pct(latencies, 50)),
    p99Ms: Math.round(pct(latencies, 99)),
    busy: busy.n,
    connectionsOpened,
    cpuMsPerChange: {
      hub: perChange(hub),
      postgres: perChange(postgres),
      devices: perChange(own),
      rest: perChange(machine - hub - postgres - own),
    },
  };
}

/**
 * The 20-device baseline (8-change batches, one organization, back to back, one process) and
 * 100 devices with 20-change batches to their own organizations, through 1 then 2 processes;
 * on an empty hub, then again (names ending in `Preloaded`) on a hub holding `preload` rows of
 * other organizations (./hub-preload.ts), where a cost that grows with the hub would show.
 */
export async function disjointPushes(
  postgresUrl: string,
  options: { devices: number; perDevice: number; thinkMs: number; preload: number; oneUser?: boolean },
): Promise<Record<string, PushFigures | number>> {
  const out: Record<string, PushFigures | number> = {};
  const db = new pg.Client({ connectionString: postgresUrl });
  await db.connect();
  // A hub sized for its devices (`--max-pushes`, default 32): past the bound a device waits a
  // whole second (Retry-After) where a pool connection frees in milliseconds.
  const bound = process.env.KONTOR_HUB_MAX_PUSHES;
  out.maxPushesPerProcess = options.devices + 28;
  for (const suffix of options.preload > 0 ? ['', 'Preloaded'] : ['']) {
    for (const processes of [1, 2]) {
      process.env.KONTOR_HUB_MAX_PUSHES = String(options.devices + 28);
      const hubs = await Promise.all(Array.from({ length: processes }, () => spawnHub({ postgresUrl })));
      if (bound === undefined) delete process.env.KONTOR_HUB_MAX_PUSHES;
      else process.env.KONTOR_HUB_MAX_PUSHES = bound;
      try {
        if (suffix && processes === 1)
          out.preloadedRows = await preloadOtherOrganizations(db, hubs[0]!.url, options.preload);
        if (processes === 1) out[`baseline20Shared${suffix}`] = await run(db, hubs, 20, options.perDevice, 'shared', 0);
        out[`disjoint${options.devices}x${processes}${suffix}`] = await run(
          db,
          hubs,
          options.devices,
          options.perDevice,
          'disjoint',
          options.thinkMs,
          options.oneUser,
        );
      } finally {
        closeHubConnections();
        for (const h of hubs) {
          h.child.kill('SIGTERM');
          await h.exited;
        }
      }
    }
    const base = out[`baseline20Shared${suffix}`] as PushFigures;
    for (const processes of [1, 2]) {
      const f = out[`disjoint${options.devices}x${processes}${suffix}`] as PushFigures;
      out[`ratioToBaseline${processes}${suffix}`] =
        Math.round((f.changesPerSecond / base.changesPerSecond) * 10) / 10;
    }
  }
  await db.end();
  if (bound === undefined) delete process.env.KONTOR_HUB_MAX_PUSHES;
  else process.env.KONTOR_HUB_MAX_PUSHES = bound;
  return out;
}
