import { AsyncLocalStorage } from 'node:async_hooks';
import { fail } from '#common/errors';

/**
 * Who may use the store at a time. Calls, jobs, streams and sync rounds share it; an
 * exclusive operation (a restore, which closes and swaps the file) waits until every shared
 * holder is done and holds new ones until it is finished, so no write, export or sync round
 * ever runs against a closed or half-restored store.
 *
 * Shared holds nest: a mutation that runs a sync round (sync.now) takes a second hold inside
 * its own, which must not queue behind a waiting restore that is itself waiting for the
 * first (AsyncLocalStorage tells that the caller already holds one).
 */
export class Gate {
  private shared = 0;
  private exclusiveHeld = false;
  private exclusiveWaiting = 0;
  private readonly wakers: (() => void)[] = [];
  private readonly holding = new AsyncLocalStorage<boolean>();

  async runShared<T>(fn: () => Promise<T> | T): Promise<T> {
    if (!this.holding.getStore()) {
      while (this.exclusiveHeld || this.exclusiveWaiting > 0) await this.next();
    }
    this.shared++;
    try {
      return await this.holding.run(true, fn);
    } finally {
      this.shared--;
      this.wake();
    }
  }

  /**
   * Shared, but refused at once (busy) instead of queued while an exclusive operation waits or
   * runs. For work others may join: a sync round queued behind a waiting restore, joined by a
   * sync.now that already holds the gate, would make the restore wait for the call that waits
   * for the round that waits for the restore. A refused round is simply retried later.
   */
  async runSharedUnlessExclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    if (!this.holding.getStore() && (this.exclusiveHeld || this.exclusiveWaiting > 0)) fail('busy');
    return this.runShared(fn);
  }

  async runExclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    // Inside a shared hold this would wait for itself.
    if (this.holding.getStore()) throw new Error('an exclusive operation cannot run inside a shared one');
    this.exclusiveWaiting++;
    try {
      while (this.exclusiveHeld || this.shared > 0) await this.next();
    } finally {
      this.exclusiveWaiting--;
    }
    this.exclusiveHeld = true;
    try {
      return await fn();
    } finally {
      this.exclusiveHeld = false;
      this.wake();
    }
  }

  /** Shared holders right now (tests and the log). */
  get activeShared(): number {
    return this.shared;
  }

  private next(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }
}
