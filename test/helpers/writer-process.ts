// Starts test/helpers/crash-writer.ts as a separate process and follows its stdout protocol.
//
// Start-up cost matters when a test starts it a hundred times: through tsx's loader
// (`node --import tsx crash-writer.ts`) a start costs 1.3–2.3 s here (esbuild transforms
// each module on the way in), so it is bundled once per test run (./node-bundle.ts, the same
// package rules as the CLI's and the Electron main's bundles). The export libraries
// (exceljs, pdfkit…) are loaded by the code that uses them, on first use, so the writer never
// loads them.
// KONTOR_WRITER=tsx runs the unmodified sources instead.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR, REPO_ROOT } from './kontor';
import { bundleForNode } from './node-bundle';

const WRITER_SOURCE = path.join(REPO_ROOT, 'test', 'helpers', 'crash-writer.ts');

export interface WriterCommand {
  command: string;
  args: string[];
  via: 'bundle' | 'tsx';
  /** The bundle's folder, removed by disposeWriterCommand. */
  folder?: string;
}

let prepared: Promise<WriterCommand> | null = null;

export function writerCommand(): Promise<WriterCommand> {
  prepared ??= (async () => {
    if (process.env.KONTOR_WRITER === 'tsx') {
      return { command: process.execPath, args: ['--import', 'tsx', WRITER_SOURCE], via: 'tsx' as const };
    }
    const { file, folder } = await bundleForNode(WRITER_SOURCE, 'crash-writer');
    process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
    return {
      command: process.execPath,
      args: [file],
      via: 'bundle' as const,
      folder,
    };
  })();
  return prepared;
}

/** Removes this process's bundle (call from afterAll). */
export async function disposeWriterCommand(): Promise<void> {
  if (!prepared) return;
  const command = await prepared;
  if (command.folder) fs.rmSync(command.folder, { recursive: true, force: true });
  prepared = null;
}

export type WriterLine =
  | { kind: 'loaded'; loadMs: number }
  | { kind: 'ready'; deviceId: string; startupMs: number; openMs: number }
  | { kind: 'begin'; n: number; op: WriterOp }
  | { kind: 'ack'; n: number; op: WriterOp };

export type WriterOp =
  | { op: 'create'; id?: string; name: string; tagIds: string[] }
  | { op: 'rename'; tagId: string; name: string }
  | { op: 'assign'; tagId: string; productIds: string[] };

export interface Writer {
  child: ChildProcess;
  lines: WriterLine[];
  /** Resolves once `count` acks have arrived. */
  acks(count: number, timeoutMs?: number): Promise<void>;
  /** Lets a writer started with `wait` open the file and start writing. */
  go(): void;
  /** Resolves when the process has exited and its stdout is fully read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal?: NodeJS.Signals): void;
}

export interface StartOptions {
  migrationsDir?: string;
  /** Load the modules but do not open the file until go() is called. */
  wait?: boolean;
}

export async function startWriter(dbFile: string, seed: number, options: StartOptions = {}): Promise<Writer> {
  const { command, args } = await writerCommand();
  const extra = options.wait ? ['--wait'] : [];
  const child = spawn(
    command,
    [...args, dbFile, String(seed), options.migrationsDir ?? MIGRATIONS_DIR, ...extra],
    {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stdin!.on('error', () => {});
  if (!options.wait) child.stdin!.end();
  const lines: WriterLine[] = [];
  let pending = '';
  let stderr = '';
  const waiters: { count: number; resolve: () => void }[] = [];
  const ackCount = () => lines.filter((l) => l.kind === 'ack').length;
  const wake = () => {
    for (const w of [...waiters]) {
      if (ackCount() >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    let at = pending.indexOf('\n');
    while (at >= 0) {
      const line = pending.slice(0, at);
      pending = pending.slice(at + 1);
      lines.push(parse(line));
      at = pending.indexOf('\n');
    }
    wake();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stderr }));
    },
  );
  return {
    child,
    lines,
    closed,
    acks(count, timeoutMs = 30_000) {
      if (ackCount() >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${count} acks after ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push({ count, resolve: done });
        closed.then(({ code, signal }) => {
          clearTimeout(timer);
          if (ackCount() < count)
            reject(new Error(`writer exited (${code ?? signal}) before ${count} acks: ${stderr}`));
        });
      });
    },
    go() {
      child.stdin!.end('go\n');
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
    },
  };
}

function parse(line: string): WriterLine {
  const [kind, a, ...rest] = line.split(' ');
  if (kind === 'loaded') return { kind, loadMs: Number(a) };
  if (kind === 'ready') return { kind, deviceId: a!, startupMs: Number(rest[0]), openMs: Number(rest[1]) };
  if (kind === 'begin' || kind === 'ack')
    return { kind, n: Number(a), op: JSON.parse(rest.join(' ')) as WriterOp };
  throw new Error(`unexpected line from the writer: ${line}`);
}
