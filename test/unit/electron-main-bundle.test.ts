// The bundled main process (build output of scripts/build-electron.mjs) run in plain Node
// against a fake 'electron' module: Electron itself cannot be downloaded here, so this is how
// main.ts's wiring is exercised — database before window, the app:// handler, the IPC door,
// navigation and permission policy, menu actions, backup/restore, window state, quitting —
// and how the preload's bridge is checked. It drives the real router on a real SQLite file.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ELECTRON, FAKE_ELECTRON_HOOK as HOOK } from '../helpers/fake-electron';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Two levels below the repo (like build/electron) so node_modules resolve as in the app.
const OUT = path.join(REPO, 'build', `test-electron-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
let scratch: string;

// Runs one scenario in a child process and prints what the fake saw as JSON.
const DRIVER = `
const fs = require('node:fs');
const path = require('node:path');
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
async function waitFor(predicate, what) {
  for (let i = 0; i < 200; i++) { if (predicate()) return; await tick(10); }
  throw new Error('timed out waiting for ' + what);
}
function find(items, id) {
  for (const item of items || []) {
    if (item.id === id) return item;
    const inner = find(item.submenu, id);
    if (inner) return inner;
  }
}
const lastMenu = () => globalThis.__fake.menus[globalThis.__fake.menus.length - 1];
async function main() {
  const scenario = process.env.FAKE_SCENARIO;
  if (scenario === 'preload') {
    globalThis.navigator = { language: 'de-CH' };
    require(process.env.FAKE_PRELOAD);
    const s = globalThis.__fake;
    const bridge = s.exposed.kontor;
    const out = { exposedKeys: Object.keys(s.exposed), bridgeKeys: Object.keys(bridge) };
    await bridge.invoke('system.info', { a: 1 }, 'fr');
    await bridge.invoke('system.info', {});
    await bridge.save('invoices.pdf', { id: 'x' }, 'de');
    out.invoked = s.invoked;
    const seen = [];
    const off = bridge.on('changed', (payload) => seen.push(['changed', payload]));
    const offUnknown = bridge.on('secret', () => seen.push(['secret']));
    for (const [, listener] of s.rendererListeners) {
      listener({ sender: 'event-object' }, { name: 'changed', payload: { method: 'tags.create' } });
      listener({ sender: 'event-object' }, { name: 'other', payload: {} });
    }
    out.listenersBefore = s.rendererListeners.length;
    off(); off(); offUnknown();
    out.listenersAfter = s.rendererListeners.length;
    out.seen = seen;
    return out;
  }
  require(process.env.FAKE_MAIN);
  const s = globalThis.__fake;
  s.fireReady();
  await tick(50);
  const out = {
    userData: s.paths.userData, name: s.name, sandbox: s.sandbox, schemes: s.schemes, lockRequested: s.lockRequested,
    quitCalled: s.quitCalled, exitCode: s.exitCode, windows: s.windows.length,
    dialogs: s.dialogs.map(([kind, o]) => ({ kind, type: o.type, title: o.title, message: o.message, detail: o.detail })),
  };
  if (scenario !== 'normal') return out;

  const win = s.windows[0];
  const contents = win.webContents;
  out.webPreferences = win.options.webPreferences;
  out.windowOptions = { width: win.options.width, height: win.options.height, show: win.options.show };
  out.loadedUrl = win.url;
  out.backupEnabled = find(lastMenu(), 'file.backup').enabled;

  // app:// handler
  const serve = s.protocolHandlers.app;
  const get = async (url, method = 'GET') => {
    const response = await serve(new Request(url, { method }));
    return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: await response.text() };
  };
  out.protocol = {
    index: await get('app://kontor/index.html'),
    root: await get('app://kontor/'),
    asset: await get('app://kontor/assets/app.js'),
    route: await get('app://kontor/organizations/42'),
    missing: await get('app://kontor/assets/missing.css'),
    traversal: await get('app://kontor/..%2f..%2fsecret.txt'),
    encoded: await get('app://kontor/%2e%2e/%2e%2e/secret.txt'),
    post: await get('app://kontor/index.html', 'POST'),
    head: await get('app://kontor/index.html', 'HEAD'),
  };

  // IPC
  const invoke = s.handlers['kontor:invoke'];
  const mainFrame = { url: 'app://kontor/index.html', parent: null };
  const trusted = { sender: { id: contents.id }, senderFrame: mainFrame };
  out.ipc = {
    info: await invoke(trusted, { method: 'system.info', input: {}, locale: 'en' }),
    foreign: await invoke({ sender: { id: contents.id + 100 }, senderFrame: mainFrame }, { method: 'system.info', input: {} }),
    subframe: await invoke({ sender: { id: contents.id }, senderFrame: { url: 'app://kontor/x', parent: mainFrame } }, { method: 'system.info', input: {} }),
    otherOrigin: await invoke({ sender: { id: contents.id }, senderFrame: { url: 'https://evil.example/', parent: null } }, { method: 'system.info', input: {} }),
    malformed: await invoke(trusted, { method: ['system.info'], locale: 'de' }),
    unknown: await invoke(trusted, { method: 'nope.never', input: {}, locale: 'fr' }),
  };
  contents.sent.length = 0;
  out.ipc.mutation = await invoke(trusted, { method: 'settings.setActingPerson', input: { personId: null }, locale: 'en' });
  out.eventsAfterMutation = contents.sent.slice();

  // navigation, new windows, permissions, network
  const navigate = (event, url, isMainFrame = true) => {
    const e = { url, isMainFrame, prevented: false, preventDefault() { this.prevented = true; } };
    for (const listener of contents.listeners(event)) listener(e);
    return e.prevented;
  };
  // Electron emits will-frame-navigate, then (main frame) will-navigate.
  const navigateBoth = (url, isMainFrame = true) => {
    const framePrevented = navigate('will-frame-navigate', url, isMainFrame);
    const mainPrevented = isMainFrame ? navigate('will-navigate', url) : false;
    return framePrevented || mainPrevented;
  };
  out.navigation = {
    app: navigateBoth('app://kontor/organizations'),
    web: navigateBoth('https://example.com/'),
    file: navigateBoth('file:///etc/passwd'),
    subframeWeb: navigateBoth('https://example.com/frame', false),
    redirect: navigate('will-redirect', 'https://example.com/r'),
  };
  out.windowOpen = {
    web: contents.windowOpenHandler({ url: 'https://admin.ch/' }),
    js: contents.windowOpenHandler({ url: 'javascript:alert(1)' }),
    app: contents.windowOpenHandler({ url: 'app://kontor/index.html' }),
  };
  const webview = { prevented: false, preventDefault() { this.prevented = true; } };
  for (const listener of contents.listeners('will-attach-webview')) listener(webview);
  out.webviewPrevented = webview.prevented;
  out.opened = s.opened;
  const decide = (permission, url) => { let answer; s.permissionRequest(contents, permission, (v) => (answer = v), { requestingUrl: url }); return answer; };
  out.permissions = {
    media: decide('media', 'app://kontor/index.html'),
    notifications: decide('notifications', 'app://kontor/index.html'),
    clipboardWrite: decide('clipboard-sanitized-write', 'app://kontor/index.html'),
    check: s.permissionCheck(contents, 'geolocation', 'app://kontor', {}),
  };
  let cancelled;
  s.beforeRequest.h({ url: 'https://tracker.example/' }, (r) => (cancelled = r.cancel));
  out.network = { filter: s.beforeRequest.filter, cancelled };

  // theme
  find(lastMenu(), 'view.theme.dark').click();
  out.themeSource = require('electron').nativeTheme.themeSource;
  out.darkChecked = find(lastMenu(), 'view.theme.dark').checked;

  // backup to the open database is refused; a real backup works
  const dbFile = out.ipc.info.value.databaseFile;
  s.saveTo = dbFile;
  s.dialogs.length = 0;
  find(lastMenu(), 'file.backup').click();
  await waitFor(() => s.dialogs.some((d) => d[0] === 'message'), 'same-file refusal');
  out.backupSameFile = s.dialogs.filter((d) => d[0] === 'message').map((d) => d[1].detail);
  const backupFile = path.join(process.env.FAKE_SCRATCH, 'backup.sqlite');
  s.saveTo = backupFile;
  s.dialogs.length = 0;
  find(lastMenu(), 'file.backup').click();
  await waitFor(() => s.dialogs.some((d) => d[0] === 'message'), 'backup done');
  out.backupMessage = s.dialogs.find((d) => d[0] === 'message')[1].message;
  out.backupExists = fs.existsSync(backupFile);
  out.backupIdleAgain = find(lastMenu(), 'file.backup').enabled;

  // restore: cancelled at the confirmation, then confirmed
  s.openFrom = backupFile;
  s.nextResponse = 1;
  s.dialogs.length = 0;
  find(lastMenu(), 'file.restore').click();
  await waitFor(() => s.dialogs.some((d) => d[0] === 'message'), 'restore confirmation');
  await tick();
  out.restoreCancelledReloads = contents.reloaded;
  s.nextResponse = 0;
  s.dialogs.length = 0;
  find(lastMenu(), 'file.restore').click();
  await waitFor(() => s.dialogs.filter((d) => d[0] === 'message').length >= 2, 'restore done');
  out.restoreDialogs = s.dialogs.filter((d) => d[0] === 'message').map((d) => ({ type: d[1].type, message: d[1].message }));
  out.restoreReloads = contents.reloaded;
  out.afterRestore = await invoke(trusted, { method: 'system.info', input: {}, locale: 'en' });

  // close the window (state saved), then quit (database closed, handler removed)
  win.close();
  const settingsFile = path.join(s.paths.userData, 'desktop-settings.json');
  out.settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  require('electron').app.quit();
  out.handlerAfterQuit = Object.keys(s.handlers);
  return out;
}
main().then(
  (out) => { console.log('RESULT ' + JSON.stringify(out)); process.exit(0); },
  (error) => { console.error(error); process.exit(2); },
);
`;

interface RunResult {
  // biome-ignore lint/suspicious/noExplicitAny: a JSON report of the fake, checked field by field
  [key: string]: any;
}

function runScenario(scenario: string, env: Record<string, string> = {}): RunResult {
  const home = env.KONTOR_HOME ?? fs.mkdtempSync(path.join(scratch, 'home-'));
  const result = spawnSync(
    process.execPath,
    ['--require', path.join(scratch, 'hook.cjs'), path.join(scratch, 'driver.cjs')],
    {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        KONTOR_HOME: home,
        KONTOR_DB: '',
        FAKE_SCENARIO: scenario,
        FAKE_MAIN: path.join(OUT, 'main.cjs'),
        FAKE_PRELOAD: path.join(OUT, 'preload.cjs'),
        FAKE_APP_PATH: path.join(scratch, 'app'),
        FAKE_SCRATCH: scratch,
        ...env,
      },
    },
  );
  const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (result.status !== 0 || !line) {
    throw new Error(`scenario ${scenario} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...JSON.parse(line.slice('RESULT '.length)), home, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build-electron.mjs'), `--outdir=${OUT}`], {
    cwd: REPO,
    stdio: 'pipe',
  });
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-main-bundle-')));
  fs.writeFileSync(path.join(scratch, 'fake-electron.cjs'), FAKE_ELECTRON);
  fs.writeFileSync(path.join(scratch, 'hook.cjs'), HOOK);
  fs.writeFileSync(path.join(scratch, 'driver.cjs'), DRIVER);
  // A packaged-app layout: build/renderer and db/migrations under the app path.
  const app = path.join(scratch, 'app');
  fs.mkdirSync(path.join(app, 'build', 'renderer', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(app, 'build', 'renderer', 'index.html'), '<!doctype html><title>Kontor</title>');
  fs.writeFileSync(path.join(app, 'build', 'renderer', 'assets', 'app.js'), 'console.log("kontor")');
  fs.writeFileSync(path.join(app, 'build', 'secret.txt'), 'secret');
  fs.writeFileSync(path.join(scratch, 'secret.txt'), 'secret');
  fs.cpSync(path.join(REPO, 'db', 'migrations'), path.join(app, 'db', 'migrations'), { recursive: true });
}, 60_000);

afterAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('bundled main process (fake electron)', () => {
  let normal: RunResult;
  beforeAll(() => {
    normal = runScenario('normal');
  }, 60_000);

  it('prepares the app before ready: userData shared with the CLI, sandbox, privileged app://', () => {
    expect(normal.userData).toBe(normal.home);
    expect(normal.name).toBe('Kontor');
    expect(normal.sandbox).toBe(true);
    expect(normal.lockRequested).toBe(true);
    expect(normal.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(normal.exitCode).toBeNull();
  });

  it('opens the database, then one hardened window on app://kontor', () => {
    expect(fs.existsSync(path.join(normal.home, 'kontor.sqlite'))).toBe(true);
    expect(normal.windows).toBe(1);
    expect(normal.loadedUrl).toBe('app://kontor/index.html');
    expect(normal.windowOptions.show).toBe(false);
    expect(normal.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: path.join(scratch, 'app', 'build', 'electron', 'preload.cjs'),
    });
    expect(normal.backupEnabled).toBe(true);
  });

  it('serves the renderer with MIME types and CSP, and nothing outside it', () => {
    const p = normal.protocol;
    expect(p.index).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><title>Kontor</title>',
    });
    expect(p.index.csp).toContain("script-src 'self'");
    expect(p.root.status).toBe(200);
    expect(p.asset).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(p.route).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(p.missing.status).toBe(404);
    expect(p.missing.csp).toContain("default-src 'self'");
    expect(p.traversal.body).not.toBe('secret');
    expect(p.encoded.body).not.toBe('secret');
    expect(p.post.status).toBe(405);
    expect(p.head).toMatchObject({ status: 200, body: '' });
  });

  it('answers IPC from its window only, with translated errors', () => {
    const ipc = normal.ipc;
    expect(ipc.info.ok).toBe(true);
    expect(ipc.info.value.databaseFile).toBe(path.join(normal.home, 'kontor.sqlite'));
    expect(ipc.info.value.appVersion).toBe('9.9.9');
    for (const refused of [ipc.foreign, ipc.subframe, ipc.otherOrigin])
      expect(refused.error.code).toBe('forbidden_sender');
    expect(ipc.malformed.error.code).toBe('invalid_input');
    expect(ipc.malformed.error.message).toMatch(/^Bitte prüfen/);
    expect(ipc.unknown.error.code).toBe('unknown_method');
    expect(ipc.unknown.error.message).toMatch(/nope\.never/);
    expect(ipc.mutation).toMatchObject({ ok: true });
    expect(normal.eventsAfterMutation).toEqual([
      ['kontor:event', { name: 'changed', payload: { method: 'settings.setActingPerson' } }],
    ]);
  });

  it('keeps the window on app://, sends web links to the browser, refuses the rest', () => {
    expect(normal.navigation).toEqual({
      app: false,
      web: true,
      file: true,
      subframeWeb: true,
      redirect: true,
    });
    expect(normal.windowOpen).toEqual({
      web: { action: 'deny' },
      js: { action: 'deny' },
      app: { action: 'deny' },
    });
    expect(normal.webviewPrevented).toBe(true);
    expect(normal.opened).toEqual(['https://example.com/', 'https://admin.ch/']);
  });

  it('refuses permissions and network requests', () => {
    expect(normal.permissions).toEqual({
      media: false,
      notifications: false,
      clipboardWrite: true,
      check: false,
    });
    expect(normal.network.cancelled).toBe(true);
    expect(normal.network.filter.urls).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'file://*/*']),
    );
  });

  it('switches and remembers the theme and the window bounds', () => {
    expect(normal.themeSource).toBe('dark');
    expect(normal.darkChecked).toBe(true);
    expect(normal.settings).toEqual({
      version: 1,
      theme: 'dark',
      window: { bounds: { x: 40, y: 30, width: 1111, height: 777 }, maximized: false },
    });
  });

  it('backs up (never onto the open database) and restores after confirmation', () => {
    expect(normal.backupSameFile).toEqual(['Choose a file other than the database Kontor has open.']);
    expect(normal.backupExists).toBe(true);
    expect(normal.backupMessage).toMatch(/^The backup was saved to /);
    expect(normal.backupIdleAgain).toBe(true);
    expect(normal.restoreCancelledReloads).toBe(0);
    expect(normal.restoreDialogs[0]).toMatchObject({
      type: 'warning',
      message: 'Replace all current data with this backup?',
    });
    expect(normal.restoreDialogs[1].type).toBe('info');
    expect(normal.restoreDialogs[1].message).toMatch(/before-restore/);
    expect(normal.restoreReloads).toBe(1);
    expect(normal.afterRestore.ok).toBe(true);
  });

  it('removes the IPC handler and closes the database on quit', () => {
    expect(normal.handlerAfterQuit).toEqual([]);
  });

  it('shows a translated native error and quits for a database from a newer Kontor, deleting nothing', () => {
    const home = fs.mkdtempSync(path.join(scratch, 'home-too-new-'));
    const file = path.join(home, 'kontor.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE keep_me (x)');
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(file);
    const result = runScenario('too-new', { KONTOR_HOME: home, FAKE_LOCALE: 'fr-CH' });
    expect(result.exitCode).toBe(1);
    expect(result.windows).toBe(0);
    expect(result.dialogs).toHaveLength(1);
    expect(result.dialogs[0]).toMatchObject({
      kind: 'sync',
      type: 'error',
      title: 'Kontor ne peut pas ouvrir sa base de données',
    });
    expect(result.dialogs[0].message).toMatch(/999/);
    expect(result.dialogs[0].detail).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(home).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('quits at once as a second instance, without touching the database', () => {
    const result = runScenario('second', { FAKE_LOCK: '0' });
    expect(result.quitCalled).toBe(true);
    expect(result.windows).toBe(0);
    expect(fs.existsSync(path.join(result.home, 'kontor.sqlite'))).toBe(false);
  });
});

describe('bundled preload (fake electron)', () => {
  it('exposes only invoke, save and on, sends well-formed messages and filters events', () => {
    const result = runScenario('preload');
    expect(result.exposedKeys).toEqual(['kontor']);
    expect(result.bridgeKeys.sort()).toEqual(['invoke', 'on', 'save']);
    expect(result.invoked).toEqual([
      ['kontor:invoke', { method: 'system.info', input: { a: 1 }, locale: 'fr' }],
      ['kontor:invoke', { method: 'system.info', input: {}, locale: 'de-CH' }],
      // A file: the method and its input, never a path (the shell asks where).
      ['kontor:save', { method: 'invoices.pdf', input: { id: 'x' }, locale: 'de' }],
    ]);
    // The listener gets the payload only (never the IpcRendererEvent); unknown events and
    // other names are dropped; unsubscribing removes the one listener, idempotently.
    expect(result.seen).toEqual([['changed', { method: 'tags.create' }]]);
    expect(result.listenersBefore).toBe(1);
    expect(result.listenersAfter).toBe(0);
  });

  it('requires nothing but electron at run time', () => {
    const source = fs.readFileSync(path.join(OUT, 'preload.cjs'), 'utf8');
    const required = [...source.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
  });
});
