import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactLog } from '#db/sync/compact';
import { compactHub } from '#server/sync/compact';
import { startTestHub, type TestHub } from '../helpers/hub';
import type { TestKontor } from '../helpers/kontor';
import { useTempSpace } from '../helpers/kontor';
import { runScenario, scenarioArb } from '../helpers/sync-property';

// Compaction never changes what devices converge to: the sync property's own generator and
// checks (sync-property.test.ts), with compaction turned on between rounds — the hub folds ALL
// of its history after every op that syncs (a window of zero, so every device behind it goes
// through a snapshot), and every device drops every clock entry the hub acknowledged and a
// newer one replaced. The checks are the property's: every device equals its user's hub view,
// nothing lost, replays change nothing, numbers unique and gapless, issued invoices and
// balances hold.

const space = useTempSpace('kontor-sync-compact-prop-');
let hub: TestHub;
let pgHub: TestHub;
beforeAll(async () => {
  [hub, pgHub] = await Promise.all([startTestHub('sqlite'), startTestHub('postgres')]);
});
afterAll(async () => {
  await hub?.cleanup();
  await pgHub?.cleanup();
});

const SEED = Number(process.env.KONTOR_SYNC_PROPERTY_SEED ?? 20_260_515);
const RUNS = Number(process.env.KONTOR_SYNC_COMPACTION_RUNS ?? 10);
const PG_RUNS = Number(process.env.KONTOR_SYNC_COMPACTION_PG_RUNS ?? 3);

/** Totals over the whole property run: proof that compaction had something to do. */
const done = { hubRows: 0, deviceEntries: 0 };

function compactingBetweenRounds(h: TestHub) {
  return async (devices: readonly TestKontor[]) => {
    const r = await compactHub(h.store, Date.now() + h.skew.ms, 0);
    done.hubRows += r.logRowsDropped;
    for (const k of devices) done.deviceEntries += compactLog(k.raw);
  };
}

describe('sync property with compaction between rounds', () => {
  it('devices converge to the same view as without compaction (SQLite hub)', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(30), (s) =>
        runScenario(hub, (clock) => space.kontor({ clock }), s, { betweenRounds: compactingBetweenRounds(hub) }),
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The hub had history to fold (devices compact as they sync already: the whole-log pass
    // here finds what that left; sync-compaction.test.ts shows the log shrinking).
    expect(done.hubRows).toBeGreaterThan(0);
  });

  it('firm staff and partners converge each on its own scope (PostgreSQL hub)', { timeout: 240_000 }, async () => {
    const before = done.hubRows;
    await fc.assert(
      fc.asyncProperty(scenarioArb(30, 'small', true), (s) =>
        runScenario(pgHub, (clock) => space.kontor({ clock }), s, {
          betweenRounds: compactingBetweenRounds(pgHub),
        }),
      ),
      { seed: SEED, numRuns: PG_RUNS, endOnFailure: true },
    );
    expect(done.hubRows).toBeGreaterThan(before);
  });
});
