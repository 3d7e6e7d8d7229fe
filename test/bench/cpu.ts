import fs from 'node:fs';
import type pg from 'pg';

// CPU accounting for benchmarks that spread over processes (hub, PostgreSQL, the simulated
// devices) on a shared machine: wall time says little when the cores are shared, the CPU each
// side spent per unit of work says where the time goes.

/** CPU seconds (user + system) a process has used: /proc/PID/stat, in clock ticks of 10 ms. */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds the whole machine has been busy (every core, every process): /proc/stat. */
export function machineBusySeconds(): number {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  return busy / 100;
}

/** This process's CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds a process has been on a CPU, to the nanosecond: /proc/PID/schedstat. */
function onCpuSeconds(pid: number): number {
  return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
}

/** The CPU seconds of each backend serving the client's database (the client's own left out). */
async function backendsNow(client: pg.Client): Promise<Map<number, number>> {
  const r = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const out = new Map<number, number>();
  for (const { pid } of r.rows) {
    try {
      out.set(pid, onCpuSeconds(pid));
    } catch {
      // Gone between the query and the read.
    }
  }
  return out;
}

/**
 * CPU seconds the PostgreSQL backends serving one database (the hub's pool connections) spend
 * between this call and `stop()`: the database's side of a run, apart from other databases of a
 * shared cluster. Read every `everyMs` meanwhile: a backend that exits during the run (a pool
 * renewing its connections as the hub grows) keeps what it had spent by its last reading, where
 * a reading at each end only lost all of it — in the empty hub's run, 40 backends closed midway.
 * A backend first seen during the run counts from zero (it started during it). Nanoseconds, not
 * /proc/PID/stat's 10-ms ticks, which truncated per backend add up over dozens of them. The
 * readings cost this process a query and a file per backend every `everyMs` (its own CPU, counted
 * as the devices').
 */
export async function backendCpuDuring(client: pg.Client, everyMs = 50): Promise<{ stop(): Promise<number> }> {
  const start = await backendsNow(client);
  const last = new Map(start);
  const take = (now: Map<number, number>) => {
    for (const [pid, s] of now) last.set(pid, s);
  };
  let reading: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    reading = reading.then(async () => take(await backendsNow(client))).catch(() => undefined);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await reading;
      take(await backendsNow(client));
      let spent = 0;
      for (const [pid, s] of last) spent += s - (start.get(pid) ?? 0);
      return spent;
    },
  };
}
