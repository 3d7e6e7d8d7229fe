// How long a process ran without letting a timer fire: the owning process's longest block.

/**
 * The longest time this process ran without letting an `ms` timer fire: each gap between two
 * ticks, counted only as far as the process spent CPU in it — a machine so loaded that the
 * OS leaves the process waiting is not the process blocking (2 cores shared by many jobs).
 */
export function lagMonitor(ms = 5): { stop(): number } {
  let last = performance.now();
  let cpu = process.cpuUsage();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const ranMs = (used.user + used.system) / 1000;
    worst = Math.max(worst, Math.min(now - last, ranMs) - ms);
    last = now;
    cpu = process.cpuUsage();
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}
