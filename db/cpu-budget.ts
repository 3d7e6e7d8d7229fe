// How long one slice of a long write may run before its transaction commits and the event loop
// gets a turn (a snapshot apply, a billing run): CPU time this process spent, not wall time.
// On a machine shared with other work the OS may leave the process waiting mid-slice; counting
// that wait shrinks the slices to a few rows each — many more commits, each rewriting the pages
// its rows touched (indexes keyed at random are rewritten by every commit) and flushing the
// full-text index — for no gain in responsiveness, since the waiting is not this process
// blocking its loop: the more loaded the machine, the more work the same write did. CPU time is
// a system call (getrusage, ~1 µs): asked only once the wall clock (cheap) says the budget may
// be spent, since CPU time cannot run ahead of wall time by much (a GC helper thread's share).

export class CpuBudget {
  private readonly started = process.cpuUsage();
  private readonly wallStart = performance.now();
  private wallMs: number;

  constructor(private readonly budgetMs: number) {
    this.wallMs = budgetMs;
  }

  /** Whether `budgetMs` of this process's CPU time has been spent since the budget was made. */
  spent(): boolean {
    if (performance.now() - this.wallStart < this.wallMs) return false;
    const used = process.cpuUsage(this.started);
    const cpuMs = (used.user + used.system) / 1000;
    if (cpuMs >= this.budgetMs) return true;
    // Waited for a core meanwhile: look again when the rest of the budget may be spent.
    this.wallMs = performance.now() - this.wallStart + (this.budgetMs - cpuMs);
    return false;
  }
}
