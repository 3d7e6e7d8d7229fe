import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserWanted } from '../../cli/open-browser';

// Issue 14 item 14: `npm start` printed a bare URL, nothing said which database was open or
// how to stop, and the port changed at every start so a bookmark broke. Checked on the real
// command (bin/kontor.js web), started and stopped with Ctrl+C as a person would.

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string;
  port: number;
}

function startWeb(dbFile: string, extra: string[] = [], locale = 'fr'): Promise<Started> {
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'kontor.js'), '--db', dbFile, '--locale', locale, 'web', ...extra],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '' },
    },
  );
  let out = '';
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kontor web did not start: ${stderr}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`kontor web exited with ${code}: ${stderr}`)));
    child.stdout?.on('data', (c) => {
      out += c;
      // Four lines: the sentence, the link, the database, how to stop.
      if (out.split('\n').length < 5) return;
      clearTimeout(timer);
      const stdout = out.trimEnd().split('\n');
      const port = Number(/^http:\/\/127\.0\.0\.1:(\d+)\/\?token=/m.exec(out)?.[1]);
      resolve({ child, stdout, stderr, port });
    });
  });
}

function stop(started: Started): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('kontor web', () => {
  let dir: string;
  let dbFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-web-start-'));
    dbFile = path.join(dir, 'data', 'kontor.sqlite');
    fs.mkdirSync(path.dirname(dbFile));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says where the app is, which database it opened and how to stop, in the person’s language', async () => {
    const first = await startWeb(dbFile);
    expect(first.stdout).toEqual([
      'Ouvrez ce lien dans votre navigateur :',
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32,}$/),
      `Base de données : ${dbFile}`,
      'Appuyez sur Ctrl+C pour arrêter Kontor.',
    ]);
    expect(await stop(first)).toBe(0);
    const german = await startWeb(dbFile, [], 'de');
    expect(german.stdout[0]).toBe('Öffnen Sie diesen Link in Ihrem Browser:');
    expect(german.stdout[3]).toBe('Drücken Sie Strg+C, um Kontor zu beenden.');
    expect(german.port).toBe(first.port);
    expect(await stop(german)).toBe(0);
  }, 120_000);

  it('keeps its port between starts, takes another when it is taken and says so; --port wins', async () => {
    const first = await startWeb(dbFile, [], 'en');
    await stop(first);
    expect(JSON.parse(fs.readFileSync(path.join(path.dirname(dbFile), 'web-host.json'), 'utf8'))).toEqual({
      port: first.port,
    });
    const again = await startWeb(dbFile, [], 'en');
    expect(again.port).toBe(first.port);
    await stop(again);

    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(first.port, '127.0.0.1', resolve));
    try {
      const moved = await startWeb(dbFile, [], 'en');
      expect(moved.port).not.toBe(first.port);
      expect(moved.stderr).toContain(`Port ${first.port} is taken`);
      expect(moved.stderr).toContain(`port ${moved.port}`);
      await stop(moved);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }

    const wanted = await freePort();
    const explicit = await startWeb(dbFile, ['--port', String(wanted)], 'en');
    expect(explicit.port).toBe(wanted);
    await stop(explicit);
  }, 180_000);

  it('opens a browser only for a person at a terminal, never in CI or tests', () => {
    expect(browserWanted({ DISPLAY: ':0' }, true, 'linux')).toBe(true);
    expect(browserWanted({ DISPLAY: ':0' }, false, 'linux')).toBe(false);
    expect(browserWanted({ DISPLAY: ':0', CI: 'true' }, true, 'linux')).toBe(false);
    expect(browserWanted({ DISPLAY: ':0', VITEST: 'true' }, true, 'linux')).toBe(false);
    expect(browserWanted({}, true, 'linux')).toBe(false);
    expect(browserWanted({}, true, 'darwin')).toBe(true);
    expect(browserWanted({ CI: '1' }, true, 'win32')).toBe(false);
  });
});
