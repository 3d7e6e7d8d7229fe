import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ADMIN_TOKEN } from './hub';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface HubProcess {
  url: string;
  child: ChildProcess;
  /** Resolves on the first log line whose event matches (and passes `where`, when given). */
  waitForEvent(
    event: string,
    where?: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** `kontor hub serve` as a child process, as a firm would run it. */
export async function spawnHub(place: { dataDir?: string; postgresUrl?: string }): Promise<HubProcess> {
  // KONTOR_HUB_NODE_ARGS: node flags for the hub (a benchmark profiles it with `--cpu-prof`).
  const nodeArgs = (process.env.KONTOR_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, 'bin/kontor.js', 'hub', 'serve', '--port', '0'];
  if (place.postgresUrl) args.push('--postgres', place.postgresUrl);
  else args.push('--data', place.dataDir!);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KONTOR_HUB_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  const waiters: {
    event: string;
    where?: (entry: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }[] = [];
  let errText = '';
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        for (const w of waiters.splice(0)) {
          if (entry.event === w.event && (!w.where || w.where(entry))) w.resolve(entry);
          else waiters.push(w);
        }
      } catch {
        errText += `${line}\n`;
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    void exited.then((code) => reject(new Error(`hub exited (${code}) before listening: ${errText}`)));
  });
  return {
    url,
    child,
    exited,
    waitForEvent: (event, where) => new Promise((resolve) => waiters.push({ event, where, resolve })),
  };
}
