// How long a process ran without letting a timer fire: the owning process's longest block.
import fs from 'node:fs';

/**
 * CPU time (µs) of the calling thread — the event loop's — where Linux says it
 * (/proc/thread-self/schedstat, nanoseconds on a CPU); else the whole process's. A worker
 * thread (a new device's bulk load builds its indexes in one) spends this process's CPU
 * without blocking its event loop: counted with the process, a loaded machine's wait for a
 * core looked like a block while the worker ran.
 */
function threadCpuMicros(): () => number {
  const sched = threadSchedstat();
  if (sched) return () => sched().cpuNs / 1000;
  return () => {
    const used = process.cpuUsage();
    return used.user + used.system;
  };
}

/**
 * The calling thread as Linux's scheduler counts it (/proc/thread-self/schedstat): nanoseconds
 * on a CPU, and nanoseconds ready to run but waiting for one (another process had the core).
 * Null where the file does not exist.
 */
export function threadSchedstat(): (() => { cpuNs: number; waitNs: number }) | null {
  const file = '/proc/thread-self/schedstat';
  try {
    fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return () => {
    const [cpu, wait] = fs.readFileSync(file, 'utf8').split(' ');
    return { cpuNs: Number(cpu), waitNs: Number(wait) };
  };
}

/**
 * The longest time this process ran without letting an `ms` timer fire: each gap between two
 * ticks, counted only as far as the event loop's thread spent CPU in it — a machine so loaded
 * that the OS leaves the process waiting is not the process blocking (2 cores shared by many
 * jobs).
 */
export function lagMonitor(ms = 5): { stop(): number } {
  const cpuNow = threadCpuMicros();
  let last = performance.now();
  let cpu = cpuNow();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const used = cpuNow();
    const ranMs = (used - cpu) / 1000;
    worst = Math.max(worst, Math.min(now - last, ranMs) - ms);
    last = now;
    cpu = used;
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}
