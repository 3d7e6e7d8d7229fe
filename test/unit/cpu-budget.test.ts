// A long write's slice is bounded by the CPU time the process spends, not by the wall clock
// (db/cpu-budget.ts): time spent waiting — for a core on a loaded machine, here for a lock —
// must not end a slice, or a loaded machine makes the same write commit many more times.
import { describe, expect, it } from 'vitest';
import { CpuBudget } from '#db/cpu-budget';

/** Blocks the thread without using the CPU, as a process the OS leaves waiting does. */
const wait = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

describe('CpuBudget', () => {
  it('is not spent by waiting, however long', () => {
    const budget = new CpuBudget(40);
    wait(120);
    expect(budget.spent()).toBe(false);
  });

  it('is spent once the CPU time is', () => {
    const since = process.cpuUsage();
    const budget = new CpuBudget(30);
    wait(60);
    let x = 0;
    while (!budget.spent()) for (let i = 0; i < 10_000; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(cpuMs(since)).toBeGreaterThanOrEqual(30);
  });

  it('a budget of 0 is spent at once (one unit of work per slice)', () => {
    expect(new CpuBudget(0).spent()).toBe(true);
  });
});
