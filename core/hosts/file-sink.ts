import fs from 'node:fs';
import path from 'node:path';
import type { StreamSink } from '../api/router';
import { assertWritableTarget } from '../services/exports.service';

/**
 * A stream method's bytes into a file on this computer, for the doors that own the machine:
 * the CLI's --out and the desktop shell's save dialog (never a path from a page). The bytes
 * go to `<target>.part`, renamed into place only once every byte is flushed, so a failure
 * (disk full, a closed descriptor, a writer that throws) leaves the previous file, if any,
 * as it was and no half file. `target` may be chosen late (the dialog opens once the method
 * has checked its input); null means the person cancelled.
 */
export function fileSink(target: string | ((suggestedName: string) => Promise<string | null>)): StreamSink & {
  readonly target: string | null;
} {
  let chosen: string | null = typeof target === 'string' ? target : null;
  let part: string | null = null;
  return {
    get target() {
      return chosen;
    },
    async open(file) {
      if (typeof target !== 'string') chosen = await target(file.fileName);
      if (!chosen) return null;
      const out = assertWritableTarget(chosen, 'file');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      chosen = out;
      part = `${out}.part`;
      return fs.createWriteStream(part);
    },
    async commit() {
      if (part && chosen) await fs.promises.rename(part, chosen);
    },
    async abort() {
      if (part) await fs.promises.rm(part, { force: true });
    },
  };
}
