import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startTestHub } from '../helpers/hub';
import { openTestKontor } from '../helpers/kontor';
import { runScenario, scenarioArb } from '../helpers/sync-property';
const seed = Number(process.argv[2]);
const partners = process.argv[3] === 'p';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-repro-'));
const hub = await startTestHub('sqlite');
let files = 0;
const d = await fc.check(
  fc.asyncProperty(scenarioArb(80, 'max', partners), (s) =>
    runScenario(hub, (clock) => openTestKontor({ file: path.join(dir, `d${++files}.sqlite`), clock }), s),
  ),
  { seed, numRuns: 1, endOnFailure: true },
);
console.log(d.failed ? String((d.errorInstance as Error)?.message).slice(0, 3000) : 'ok');
await hub.cleanup();
