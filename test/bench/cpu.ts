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

/**
 * CPU seconds of the PostgreSQL backends serving one database (the hub's pool connections),
 * keyed by backend pid: the database's side of a run, apart from other databases of a shared
 * cluster. A backend that exits during a run takes its count with it (a pool keeps its
 * connections while busy).
 */
export async function backendCpu(client: pg.Client): Promise<Map<number, number>> {
  const r = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const out = new Map<number, number>();
  for (const { pid } of r.rows) {
    try {
      out.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the query and the read.
    }
  }
  return out;
}

/** CPU seconds the backends spent between two `backendCpu` readings (new ones from zero). */
export function backendCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, cpu] of after) s += cpu - (before.get(pid) ?? 0);
  return s;
}
