import { APP_ORIGIN, isAppUrl } from './app-protocol';

/**
 * The security decisions of the desktop shell as plain functions, so each one is tested
 * without Electron. main.ts only wires them to Electron's events. Reference: the Electron
 * security checklist (context isolation, sandbox, no Node in the page, CSP, custom protocol
 * instead of file://, no navigation, no new windows, openExternal only for http(s),
 * permission handlers, validate every IPC sender).
 */

/** webPreferences for the one window (structurally Electron's WebPreferences). */
export function secureWebPreferences(preload: string, options: { devTools: boolean }) {
  return {
    preload,
    devTools: options.devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    safeDialogs: true,
  } as const;
}

/** Links the user may follow leave the app: only http(s), never file:, javascript:, smb: … */
export function isSafeExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  // Credentials in a link are a phishing device (https://bank.ch@evil.example).
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname !== '';
}

export type NavigationDecision = 'allow' | 'deny' | 'open-external';

/**
 * What to do when the page (or one of its frames) wants to navigate: stay inside app://kontor,
 * hand a web link to the browser, refuse everything else.
 */
export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  return isSafeExternalUrl(url) ? 'open-external' : 'deny';
}

/**
 * window.open and target=_blank: never a new Electron window. A web link goes to the
 * browser; anything else (including app:// itself) is dropped.
 */
export function windowOpenDecision(url: string): 'deny' | 'open-external' {
  return isSafeExternalUrl(url) ? 'open-external' : 'deny';
}

/**
 * Permission requests (camera, microphone, notifications, geolocation, …) are all refused.
 * The one exception is writing text to the clipboard from our own page ("copy IBAN"), which
 * Chromium routes through the permission system as 'clipboard-sanitized-write'.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  if (permission !== 'clipboard-sanitized-write') return false;
  return requestingUrl !== undefined && (requestingUrl === APP_ORIGIN || isAppUrl(requestingUrl));
}
