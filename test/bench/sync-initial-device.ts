// The device of the initial-sync bench (./sync-initial.ts), in a process of its own: only what
// a device holds (the book opened, the sync engine), so its peak RSS is the device's and not
// the bench harness's (which has built the hub's content, holds its fixtures and, after the
// sync, reads the snapshot itself). The bench bundles this file as the desktop app's main
// process is bundled (scripts/bundling.mjs) and runs the bundle with plain node: no tsx, whose
// loader and compiled sources held ~40 MB. The book is already enrolled with the hub. One JSON
// line on stdout when the sync is over: DeviceFigures.
// Usage: node [V8 flags] device.mjs DBFILE
import fs from 'node:fs';
import { openKontor } from '#core/kontor';
import { type DeviceFigures, measuredSync } from './device-measure';
import { profiled } from './harness';

const [dbFile] = process.argv.slice(2);
if (!dbFile) {
  process.stderr.write('usage: sync-initial-device DBFILE\n');
  process.exit(2);
}
const kontor = openKontor({ dbFile, log: () => {} });
const figures = await measuredSync(
  () => profiled('initial-sync', () => kontor.sync.syncNow()),
  () => kontor.sync.progress,
);
kontor.close();
const out: DeviceFigures = {
  ...figures,
  maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
  v8Flags: process.execArgv.filter((a) => a.startsWith('--max-') || a.startsWith('--min-')),
};
fs.writeSync(1, `${JSON.stringify(out)}\n`);
