// The security decisions of security.ts and app-protocol.ts wired to the Electron objects main.ts
// hands in: only main.ts and preload.ts load 'electron' (the layer test checks it), so this module
// takes them as arguments and imports nothing but their types.
import fs from 'node:fs';
import type { App, Protocol, Session, Shell } from 'electron';
import { APP_CSP, APP_SCHEME, appResponseHeaders, resolveAppFile } from './app-protocol';
import { navigationDecision, permissionAllowed, windowOpenDecision } from './security';

/**
 * Every webContents, including any a future feature creates: no webviews, no new windows, no
 * navigation away from app://kontor; a link to the web opens in the browser, once.
 */
export function guardWebContents(app: App, shell: Shell): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (windowOpenDecision(url) === 'open-external') void shell.openExternal(url);
      return { action: 'deny' };
    });
    // Electron may stop at a prevented 'will-frame-navigate' without emitting 'will-navigate',
    // so the link is handed to the browser here (main frame only) and 'will-navigate' only
    // refuses: either way it opens once.
    contents.on('will-frame-navigate', (event) => {
      const decision = navigationDecision(event.url);
      if (decision === 'allow') return;
      event.preventDefault();
      if (decision === 'open-external' && event.isMainFrame) void shell.openExternal(event.url);
    });
    contents.on('will-navigate', (event) => {
      if (navigationDecision(event.url) !== 'allow') event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (navigationDecision(event.url) !== 'allow') event.preventDefault();
    });
  });
}

/** Permissions by the policy of security.ts; no request of the page reaches the network. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  // The page has no business on the network: everything it shows comes from app://.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

/** app://kontor/… answers the built renderer's files, read-only (GET and HEAD), under the CSP. */
export function serveRenderer(protocol: Protocol, rendererRoot: string, log: (message: string) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { 'Content-Security-Policy': APP_CSP } });
    }
    const file = resolveAppFile(rendererRoot, request.url);
    if (!file) {
      return new Response('Not found', {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': APP_CSP },
      });
    }
    try {
      const body = await fs.promises.readFile(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: appResponseHeaders(file, body.byteLength),
      });
    } catch (error) {
      log(`[kontor] cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return new Response('Not found', { status: 404, headers: { 'Content-Security-Policy': APP_CSP } });
    }
  });
}
