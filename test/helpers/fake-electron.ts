// A stand-in for the 'electron' module, for running the bundled main process
// (build/electron/main.cjs) in plain Node: Electron itself cannot be downloaded here. Used by
// the main-bundle test (which drives main.ts's wiring through it) and by the startup benchmark
// (which times main.ts's path from start to the first answered IPC call).
//
// FAKE_ELECTRON is written next to FAKE_ELECTRON_HOOK as fake-electron.cjs; requiring the hook
// first makes require('electron') load it. The fake records what main.ts does in
// globalThis.__fake and fires 'ready' when __fake.fireReady() is called.
export const FAKE_ELECTRON = `
const { EventEmitter } = require('node:events');
const path = require('node:path');
const os = require('node:os');
const s = (globalThis.__fake = {
  paths: {}, windows: [], handlers: {}, protocolHandlers: {}, menus: [], dialogs: [], opened: [],
  exitCode: null, quitCalled: false, sandbox: false, schemes: null, lockRequested: false,
  nextResponse: 0, saveTo: null, openFrom: null, exposed: {}, rendererListeners: [], invoked: [],
});
let fireReady;
const ready = new Promise((resolve) => (fireReady = resolve));
s.fireReady = () => fireReady();
const app = new EventEmitter();
Object.assign(app, {
  isPackaged: false,
  setName(name) { s.name = name; },
  setPath(key, value) { s.paths[key] = value; },
  getPath(key) { return s.paths[key] ?? path.join(os.tmpdir(), 'fake-' + key); },
  enableSandbox() { s.sandbox = true; },
  requestSingleInstanceLock() { s.lockRequested = true; return process.env.FAKE_LOCK !== '0'; },
  quit() {
    s.quitCalled = true;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('before-quit', event);
    if (!event.defaultPrevented) app.emit('will-quit', { preventDefault() {} });
  },
  exit(code) { s.exitCode = code; },
  whenReady() { return ready; },
  getLocale() { return process.env.FAKE_LOCALE || 'en-US'; },
  getVersion() { return '9.9.9'; },
  getAppPath() { return process.env.FAKE_APP_PATH; },
});
let nextId = 1;
class WebContents extends EventEmitter {
  constructor() { super(); this.id = nextId++; this.sent = []; this.reloaded = 0; }
  send(channel, message) { this.sent.push([channel, message]); }
  setWindowOpenHandler(handler) { this.windowOpenHandler = handler; }
  reload() { this.reloaded++; }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options; this.webContents = new WebContents(); this.destroyed = false; this.maximized = false;
    s.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() { return s.windows.filter((w) => !w.destroyed); }
  loadURL(url) { this.url = url; return Promise.resolve(); }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return false; }
  isFullScreen() { return false; }
  isMaximized() { return this.maximized; }
  maximize() { this.maximized = true; }
  show() {} focus() {} restore() {}
  getNormalBounds() { return { x: 40, y: 30, width: 1111, height: 777 }; }
  close() { this.emit('close', {}); this.destroyed = true; this.emit('closed'); }
}
const record = (kind) => (a, b) => { const options = b ?? a; s.dialogs.push([kind, options]); };
module.exports = {
  app, BrowserWindow,
  protocol: {
    registerSchemesAsPrivileged(schemes) { s.schemes = schemes; },
    handle(scheme, handler) { s.protocolHandlers[scheme] = handler; },
  },
  session: { defaultSession: {
    setPermissionRequestHandler(h) { s.permissionRequest = h; },
    setPermissionCheckHandler(h) { s.permissionCheck = h; },
    webRequest: { onBeforeRequest(filter, h) { s.beforeRequest = { filter, h }; } },
  } },
  ipcMain: {
    handle(channel, handler) { s.handlers[channel] = handler; },
    removeHandler(channel) { delete s.handlers[channel]; },
  },
  Menu: { buildFromTemplate(template) { return { template }; }, setApplicationMenu(menu) { s.menus.push(menu.template); } },
  nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
  // A machine without a keyring: the SMTP password cannot be kept (electron/app/secrets.ts refuses).
  safeStorage: {
    isEncryptionAvailable() { return false; },
    getSelectedStorageBackend() { return 'basic_text'; },
    encryptString() { throw new Error('no keychain'); },
    decryptString() { throw new Error('no keychain'); },
  },
  screen: {
    getPrimaryDisplay() { return { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }; },
    getAllDisplays() { return [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }]; },
  },
  dialog: {
    showMessageBoxSync(options) { s.dialogs.push(['sync', options]); return 0; },
    showMessageBox(a, b) { record('message')(a, b); return Promise.resolve({ response: s.nextResponse }); },
    showSaveDialog(a, b) { record('save')(a, b); return Promise.resolve({ canceled: !s.saveTo, filePath: s.saveTo ?? '' }); },
    showOpenDialog(a, b) { record('open')(a, b); return Promise.resolve({ canceled: !s.openFrom, filePaths: s.openFrom ? [s.openFrom] : [] }); },
  },
  shell: { openExternal(url) { s.opened.push(url); return Promise.resolve(); } },
  contextBridge: { exposeInMainWorld(key, api) { s.exposed[key] = api; } },
  ipcRenderer: {
    invoke(channel, message) { s.invoked.push([channel, message]); return Promise.resolve({ ok: true, value: null }); },
    on(channel, listener) { s.rendererListeners.push([channel, listener]); },
    removeListener(channel, listener) { s.rendererListeners = s.rendererListeners.filter((l) => l[1] !== listener); },
  },
};
`;

export const FAKE_ELECTRON_HOOK = `
const Module = require('node:module');
const path = require('node:path');
const fake = path.join(__dirname, 'fake-electron.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? fake : resolve.call(this, request, ...rest);
};
`;
