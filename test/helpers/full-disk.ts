// A small tmpfs filled to the last byte: a real "disk full" (ENOSPC) for a file written into
// it. Mounting needs root (the CI container runs as root); elsewhere `mount` fails and the
// caller falls back to a closed file descriptor (EBADF), the other way a write really fails.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface FullDisk {
  dir: string;
  release(): void;
}

export function mountFullDisk(parent: string): FullDisk | null {
  const dir = path.join(parent, 'full-disk');
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const filler = fs.openSync(path.join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(filler, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(filler);
  }
  return {
    dir,
    release: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}
