// What the initial-sync bench measures of a device's first sync (./sync-initial-device.ts runs
// it in a process of its own; ./sync-initial.ts --in-process in the bench's).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lagMonitor } from '../helpers/lag-monitor';
import { measure, round } from './harness';

type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number };
/** Per stage: how long, the most memory, and its longest wall-clock block (where the wait for a core falls). */
export type Stages = Record<string, { seconds: number; peakMb: Memory; longestBlockWallMs?: number }>;

export interface DeviceFigures {
  seconds: number;
  cpuSeconds: number;
  /** Sampled every 20 ms while the sync ran (./harness.ts measure). */
  peakRssMb: number;
  /** The kernel's figure for the whole process life (process.resourceUsage().maxRSS): no sample missed. */
  maxRssMb: number;
  rssBeforeMb: number;
  longestBlockMs: { cpu: number; wall: number };
  stages: Stages;
  /** V8's flags this process ran with (e.g. a larger young generation), as the app would set them. */
  v8Flags: string[];
}

/**
 * Samples the device's sync progress and this process's memory every 50 ms: how long each
 * stage lasted and the most memory it held — RSS beside V8's heap and external buffers, the
 * rest being native (SQLite's page caches, the worker thread's).
 */
export function stageWatch(progress: () => { indexes?: unknown } | null): { stop(): Stages } {
  const out: Stages = {};
  let stage = 'before';
  let since = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const close = () => {
    const s = out[stage];
    if (!s) return;
    s.seconds = round((performance.now() - since) / 1000);
    s.longestBlockWallMs = round(loop.max / 1e6, 1);
  };
  const sample = () => {
    const p = progress();
    const now = p ? (p.indexes ? 'indexes' : 'rows') : stage;
    if (now !== stage) {
      close();
      loop.reset();
      stage = now;
      since = performance.now();
    }
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1e6);
    const s = out[stage] ?? { seconds: 0, peakMb: { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 } };
    out[stage] = s;
    s.peakMb = {
      rss: Math.max(s.peakMb.rss, mb(m.rss)),
      heapUsed: Math.max(s.peakMb.heapUsed, mb(m.heapUsed)),
      heapTotal: Math.max(s.peakMb.heapTotal, mb(m.heapTotal)),
      external: Math.max(s.peakMb.external, mb(m.external)),
    };
  };
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      close();
      loop.disable();
      return out;
    },
  };
}

/** The first sync of `sync`, measured: time, CPU, memory by stage, the longest block. */
export async function measuredSync(
  sync: () => Promise<unknown>,
  progress: () => { indexes?: unknown } | null,
): Promise<Omit<DeviceFigures, 'maxRssMb' | 'v8Flags'>> {
  const rssBefore = process.memoryUsage().rss;
  const lag = lagMonitor(10);
  const stages = stageWatch(progress);
  const run = await measure(sync);
  const cpuLag = lag.stop();
  return {
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
    rssBeforeMb: Math.round(rssBefore / 1e6),
    longestBlockMs: { cpu: round(cpuLag, 1), wall: run.maxBlockMs },
    stages: stages.stop(),
  };
}

