// What the initial-sync bench measures of a device's first sync (./sync-initial-device.ts runs
// it in a process of its own; ./sync-initial.ts --in-process in the bench's).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lagMonitor, threadSchedstat } from '../helpers/lag-monitor';
import { measure, round } from './harness';

type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number };
/** Per stage: how long, the most memory, and its longest wall-clock block (where the wait for a core falls). */
export type Stages = Record<
  string,
  { seconds: number; peakMb: Memory; longestBlockWallMs?: number; loopThreadCpuSeconds?: number }
>;

/**
 * One of the event loop's longest gaps between two 10 ms ticks, taken apart (Linux): how much
 * of it the loop's thread ran, how much it was ready but waited for a core (preemption: the
 * hub, the index worker, the rest of the machine), and the rest — asleep in a system call
 * (a file sync, a read from disk) or stopped for the whole process (V8's safepoints).
 */
export interface BlockAnatomy {
  wallMs: number;
  cpuMs: number;
  runQueueMs: number;
  otherMs: number;
}

export interface DeviceFigures {
  seconds: number;
  cpuSeconds: number;
  /** Sampled every 20 ms while the sync ran (./harness.ts measure). */
  peakRssMb: number;
  /** The kernel's figure for the whole process life (process.resourceUsage().maxRSS): no sample missed. */
  maxRssMb: number;
  rssBeforeMb: number;
  longestBlockMs: { cpu: number; wall: number };
  /** The event loop's thread alone (Linux): CPU without the worker threads' (indexes, checkpoints). */
  loopThreadCpuSeconds?: number;
  /** The three longest gaps between two of the event loop's 10 ms ticks, taken apart (Linux). */
  longestWallBlocks?: BlockAnatomy[];
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
  const sched = threadSchedstat();
  let cpuSince = sched?.().cpuNs ?? 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const close = () => {
    const s = out[stage];
    if (!s) return;
    s.seconds = round((performance.now() - since) / 1000);
    s.longestBlockWallMs = round(loop.max / 1e6, 1);
    if (sched) s.loopThreadCpuSeconds = round((sched().cpuNs - cpuSince) / 1e9);
  };
  const sample = () => {
    const p = progress();
    const now = p ? (p.indexes ? 'indexes' : 'rows') : stage;
    if (now !== stage) {
      close();
      loop.reset();
      stage = now;
      since = performance.now();
      cpuSince = sched?.().cpuNs ?? 0;
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

/** The event loop's longest wall-clock gaps between 10 ms ticks, each taken apart (Linux only). */
function wallBlocks(keep = 3): { stop(): { loopThreadCpuSeconds: number; blocks: BlockAnatomy[] } | null } {
  const sched = threadSchedstat();
  if (!sched) return { stop: () => null };
  const first = sched();
  let last = { at: performance.now(), ...first };
  let worst: BlockAnatomy[] = [];
  const timer = setInterval(() => {
    const now = { at: performance.now(), ...sched() };
    const wallMs = now.at - last.at;
    if (worst.length < keep || wallMs > (worst.at(-1)?.wallMs ?? 0)) {
      const cpuMs = (now.cpuNs - last.cpuNs) / 1e6;
      const runQueueMs = (now.waitNs - last.waitNs) / 1e6;
      const anatomy = { wallMs, cpuMs, runQueueMs, otherMs: Math.max(0, wallMs - cpuMs - runQueueMs) };
      worst = [...worst, anatomy].sort((a, b) => b.wallMs - a.wallMs).slice(0, keep);
    }
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      const r = (b: BlockAnatomy) => ({
        wallMs: round(b.wallMs, 1),
        cpuMs: round(b.cpuMs, 1),
        runQueueMs: round(b.runQueueMs, 1),
        otherMs: round(b.otherMs, 1),
      });
      return { loopThreadCpuSeconds: round((sched().cpuNs - first.cpuNs) / 1e9), blocks: worst.map(r) };
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
  const blocks = wallBlocks();
  const stages = stageWatch(progress);
  const run = await measure(sync);
  const cpuLag = lag.stop();
  const wall = blocks.stop();
  return {
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
    rssBeforeMb: Math.round(rssBefore / 1e6),
    longestBlockMs: { cpu: round(cpuLag, 1), wall: run.maxBlockMs },
    ...(wall ? { loopThreadCpuSeconds: wall.loopThreadCpuSeconds, longestWallBlocks: wall.blocks } : {}),
    stages: stages.stop(),
  };
}
