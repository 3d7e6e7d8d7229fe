import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Timing {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Runs fn `n` times after `warmup` runs; milliseconds. */
export function timeMany(n: number, fn: (i: number) => void, warmup = 20): Timing {
  for (let i = 0; i < warmup; i++) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return {
    p50: round(percentile(samples, 50)),
    p99: round(percentile(samples, 99)),
    max: round(samples.at(-1) ?? 0),
    n,
  };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Peak RSS sampled every 20 ms while `fn` runs, the longest event-loop block, and the CPU
 * time this process spent (user + system): on a machine other work shares, wall time swings
 * with the load while CPU time stays what the work costs.
 */
export async function measure<T>(
  fn: () => Promise<T> | T,
): Promise<{ result: T; seconds: number; cpuSeconds: number; peakRssMb: number; maxBlockMs: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    result,
    seconds: round(seconds),
    cpuSeconds: round((used.user + used.system) / 1e6),
    peakRssMb: Math.round(peak / 1e6),
    maxBlockMs: round(loop.max / 1e6, 1),
  };
}

/**
 * `fn` under V8's CPU profiler when KONTOR_BENCH_PROFILE names a directory: the profile of that
 * part alone (`node --cpu-prof` profiles the whole process: the fixture, the baselines) goes to
 * DIR/<name>.cpuprofile, for Chrome's DevTools or speedscope.
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.KONTOR_BENCH_PROFILE;
  if (!dir) return fn();
  const { Session } = await import('node:inspector/promises');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
