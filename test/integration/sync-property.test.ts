import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub';
import { useTempSpace } from '../helpers/kontor';
import { runScenario, scenarioArb } from '../helpers/sync-property';

// The sync property with a fixed seed (the soak bench runs it long, with random seeds):
// 2–5 devices, random writes on every entity kind, random partial, duplicated and reordered
// syncs; afterwards every device equals the hub's view, nothing is lost, replays change
// nothing, invoice numbers stay unique and gapless, issued invoices and balances hold.
// The multi-user variant adds a limited and a complete partner (hub users bound to the partner
// organizations' legal representatives) writing beside the firm's devices: each device equals
// its own user's hub view, and a partner's device holds nothing outside its scope.

const space = useTempSpace('kontor-sync-prop-');
let hub: TestHub;
// The multi-user variant also runs against a hub on PostgreSQL: scopes are computed by the store.
let pgHub: TestHub;
beforeAll(async () => {
  [hub, pgHub] = await Promise.all([startTestHub('sqlite'), startTestHub('postgres')]);
});
afterAll(async () => {
  await hub?.cleanup();
  await pgHub?.cleanup();
});

const SEED = Number(process.env.KONTOR_SYNC_PROPERTY_SEED ?? 20_260_515);
const RUNS = Number(process.env.KONTOR_SYNC_PROPERTY_RUNS ?? 20);
// Each multi-user run builds two partnerships and enrolls two more hub users: fewer runs.
const PARTNER_RUNS = Number(process.env.KONTOR_SYNC_PROPERTY_PARTNER_RUNS ?? 6);
const PG_PARTNER_RUNS = Number(process.env.KONTOR_SYNC_PROPERTY_PG_RUNS ?? 3);

describe('sync property', () => {
  it('devices converge on the hub view without losing, duplicating or breaking anything', {
    timeout: 180_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(30), (s) => runScenario(hub, (clock) => space.kontor({ clock }), s)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  for (const [store, runs] of [
    ['sqlite', PARTNER_RUNS],
    ['postgres', PG_PARTNER_RUNS],
  ] as const)
    it(`firm staff, a limited and a complete partner converge, each on its own scope (${store} hub)`, {
      timeout: 180_000,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb(30, 'small', true), (s) =>
          runScenario(store === 'sqlite' ? hub : pgHub, (clock) => space.kontor({ clock }), s),
        ),
        { seed: SEED, numRuns: runs, endOnFailure: true },
      );
    });
});
