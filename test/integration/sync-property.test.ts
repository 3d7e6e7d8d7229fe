import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub';
import { useTempSpace } from '../helpers/kontor';
import { runScenario, scenarioArb } from '../helpers/sync-property';

// The sync property with a fixed seed (the soak bench runs it long, with random seeds):
// 2–5 devices, random writes on every entity kind, random partial, duplicated and reordered
// syncs; afterwards every device equals the hub's view, nothing is lost, replays change
// nothing, invoice numbers stay unique and gapless, issued invoices and balances hold.

const space = useTempSpace('kontor-sync-prop-');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite');
});
afterAll(async () => {
  await hub?.cleanup();
});

const SEED = Number(process.env.KONTOR_SYNC_PROPERTY_SEED ?? 20_260_515);
const RUNS = Number(process.env.KONTOR_SYNC_PROPERTY_RUNS ?? 20);

describe('sync property', () => {
  it('devices converge on the hub view without losing, duplicating or breaking anything', {
    timeout: 180_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(30), (s) => runScenario(hub, (clock) => space.kontor({ clock }), s)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
