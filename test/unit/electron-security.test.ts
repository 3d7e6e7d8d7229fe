import { describe, expect, it } from 'vitest';
import {
  isSafeExternalUrl,
  navigationDecision,
  permissionAllowed,
  secureWebPreferences,
  windowOpenDecision,
} from '../../electron/app/security';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page with no Node', () => {
    const prefs = secureWebPreferences('/app/build/electron/preload.cjs', { devTools: false });
    expect(prefs).toMatchObject({
      preload: '/app/build/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
    expect(secureWebPreferences('p', { devTools: true }).devTools).toBe(true);
  });
});

describe('external links', () => {
  it('opens only http(s) links without credentials', () => {
    expect(isSafeExternalUrl('https://www.admin.ch/gov/de/start.html')).toBe(true);
    expect(isSafeExternalUrl('http://example.com')).toBe(true);
    expect(isSafeExternalUrl('HTTPS://EXAMPLE.COM/')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://server/share',
      'ms-msdt:/id',
      'mailto:a@b.ch',
      'app://kontor/index.html',
      'https://bank.ch@evil.example/',
      'https://user:pw@example.com/',
      'notaurl',
      '',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('never allows a new window, only hands web links to the browser', () => {
    expect(windowOpenDecision('https://example.com')).toBe('open-external');
    expect(windowOpenDecision('app://kontor/index.html')).toBe('deny');
    expect(windowOpenDecision('about:blank')).toBe('deny');
    expect(windowOpenDecision('file:///C:/Windows/System32/calc.exe')).toBe('deny');
  });
});

describe('navigation', () => {
  it('stays inside app://kontor', () => {
    expect(navigationDecision('app://kontor/index.html')).toBe('allow');
    expect(navigationDecision('app://kontor/organizations/1')).toBe('allow');
    expect(navigationDecision('app://other/index.html')).toBe('deny');
    expect(navigationDecision('file:///etc/passwd')).toBe('deny');
    expect(navigationDecision('javascript:alert(1)')).toBe('deny');
    expect(navigationDecision('chrome://settings')).toBe('deny');
    expect(navigationDecision('https://example.com/')).toBe('open-external');
  });
});

describe('permissions', () => {
  it('refuses every permission request', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
      'unknown',
    ]) {
      expect(permissionAllowed(permission, 'app://kontor/index.html'), permission).toBe(false);
    }
  });

  it('lets our own page write text to the clipboard, nobody else', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://kontor/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://kontor')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://example.com')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });
});
