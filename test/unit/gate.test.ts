// The store's gate (core/api/gate.ts): calls, jobs, streams and sync rounds share it; a restore
// takes it alone. The order of events is what matters, so the test records it.
import { describe, expect, it } from 'vitest';
import { KontorError } from '#common/errors';
import { Gate } from '#core/api/gate';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Gate', () => {
  it('an exclusive operation waits for the shared holders and holds the ones that come after it', async () => {
    const gate = new Gate();
    const events: string[] = [];
    const job = deferred();
    const running = gate.runShared(async () => {
      events.push('job starts');
      await job.promise;
      events.push('job ends');
    });
    const restore = gate.runExclusive(async () => {
      events.push('restore');
    });
    const later = gate.runShared(() => {
      events.push('later call');
    });
    await tick();
    expect(events).toEqual(['job starts']);
    job.resolve();
    await Promise.all([running, restore, later]);
    expect(events).toEqual(['job starts', 'job ends', 'restore', 'later call']);
  });

  it('a holder that takes the gate again is not queued behind a waiting restore (no deadlock)', async () => {
    const gate = new Gate();
    const events: string[] = [];
    const outer = deferred();
    const call = gate.runShared(async () => {
      await outer.promise;
      await gate.runShared(() => events.push('nested round'));
      await gate.runSharedUnlessExclusive(() => events.push('joined round'));
    });
    const restore = gate.runExclusive(() => events.push('restore'));
    await tick();
    outer.resolve();
    await Promise.all([call, restore]);
    expect(events).toEqual(['nested round', 'joined round', 'restore']);
  });

  it('work others may join is refused (busy) while a restore waits, instead of queuing behind it', async () => {
    const gate = new Gate();
    const hold = deferred();
    const holder = gate.runShared(() => hold.promise);
    const restore = gate.runExclusive(() => 'restored');
    await expect(gate.runSharedUnlessExclusive(() => 'round')).rejects.toSatisfy(
      (e: unknown) => e instanceof KontorError && e.code === 'busy',
    );
    hold.resolve();
    await holder;
    expect(await restore).toBe('restored');
    expect(await gate.runSharedUnlessExclusive(() => 'round')).toBe('round');
  });

  it('refuses an exclusive operation inside a shared one (it would wait for itself)', async () => {
    const gate = new Gate();
    await expect(gate.runShared(() => gate.runExclusive(() => 1))).rejects.toThrow(/cannot run inside/);
    expect(gate.activeShared).toBe(0);
  });
});
