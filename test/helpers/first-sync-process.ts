// A device taking its first sync in a process of its own, for a test to kill at a chosen moment
// (test/integration/sync-bulk-load.test.ts). The file is already enrolled with a hub. Protocol
// on stdout, one line each, written synchronously:
//   rows <done>                    after each slice of rows applied
//   indexes <done> <total>         after each step of the bulk load's end (the worker thread)
//   synced <snapshotRows>          the round is over
// Usage: first-sync-process.ts DBFILE
import fs from 'node:fs';
import { openKontor } from '#core/kontor';

const [dbFile] = process.argv.slice(2);
if (!dbFile) {
  process.stderr.write('usage: first-sync-process DBFILE\n');
  process.exit(2);
}

function say(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

const kontor = openKontor({
  dbFile,
  log: () => {},
  sync: {
    // Small pages: many slices, many moments to be killed at.
    snapshotLimit: 500,
    onProgress: (p) => {
      if (p?.indexes) say(`indexes ${p.indexes.done} ${p.indexes.total}`);
      else if (p) say(`rows ${p.done}`);
    },
  },
});
const round = await kontor.sync.syncNow();
say(`synced ${round.snapshotRows}`);
kontor.close();
