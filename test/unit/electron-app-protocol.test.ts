import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_CSP,
  APP_ENTRY_URL,
  appResponseHeaders,
  appUrlToRelativePath,
  isAppUrl,
  mimeTypeOf,
  resolveAppFile,
} from '../../electron/app/app-protocol';

let base: string;
let root: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-app-protocol-')));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kontor</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'style.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'file with space.svg'), '<svg/>');
  fs.mkdirSync(path.join(root, 'folder'));
  // Outside the root: what an attacker would like to read.
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
  fs.writeFileSync(path.join(base, 'renderer-evil.txt'), 'sibling with a shared prefix');
  try {
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  } catch {
    // Symlinks may be unavailable (Windows without privileges); that test then checks nothing.
  }
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('appUrlToRelativePath', () => {
  it('maps the origin and / to index.html', () => {
    expect(appUrlToRelativePath('app://kontor')).toBe('index.html');
    expect(appUrlToRelativePath('app://kontor/')).toBe('index.html');
    expect(appUrlToRelativePath(APP_ENTRY_URL)).toBe('index.html');
  });

  it('keeps nested paths and decodes them once', () => {
    expect(appUrlToRelativePath('app://kontor/assets/index-abc123.js')).toBe('assets/index-abc123.js');
    expect(appUrlToRelativePath('app://kontor/assets/file%20with%20space.svg')).toBe(
      'assets/file with space.svg',
    );
    // Double encoding stays a literal name after one decode: no second chance to climb.
    expect(appUrlToRelativePath('app://kontor/%252e%252e/secret.txt')).toBe('%2e%2e/secret.txt');
  });

  it('ignores query strings and fragments', () => {
    expect(appUrlToRelativePath('app://kontor/assets/style.css?v=3#x')).toBe('assets/style.css');
    expect(appUrlToRelativePath('app://kontor/?token=abc')).toBe('index.html');
    expect(appUrlToRelativePath('app://kontor/index.html?../../etc/passwd')).toBe('index.html');
  });

  it('refuses other schemes, hosts and credentials', () => {
    expect(appUrlToRelativePath('file:///etc/passwd')).toBeNull();
    expect(appUrlToRelativePath('https://kontor/index.html')).toBeNull();
    expect(appUrlToRelativePath('app://evil/index.html')).toBeNull();
    expect(appUrlToRelativePath('app://user:pw@kontor/index.html')).toBeNull();
    expect(appUrlToRelativePath('not a url')).toBeNull();
  });

  it('refuses anything that could climb once decoded', () => {
    expect(appUrlToRelativePath('app://kontor/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/assets%2f..%2f..%2fsecret.txt')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/..%5c..%5csecret.txt')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/a%00b')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/C:/Windows/win.ini')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/c%3a/Windows/win.ini')).toBeNull();
    expect(appUrlToRelativePath('app://kontor/%E0%A4%A')).toBeNull();
  });

  it('is never left with a .. segment, whatever the URL parser did first', () => {
    for (const url of [
      'app://kontor/../../etc/passwd',
      'app://kontor/%2e%2e/%2e%2e/etc/passwd',
      'app://kontor/.%2e/.%2e/etc/passwd',
      'app://kontor/assets/../../../secret.txt',
      'app://kontor//etc/passwd',
      'app://kontor/./assets/./style.css',
    ]) {
      const relative = appUrlToRelativePath(url);
      if (relative !== null) expect(relative.split('/')).not.toContain('..');
    }
  });
});

describe('resolveAppFile', () => {
  it('serves files inside the root', () => {
    expect(resolveAppFile(root, 'app://kontor/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kontor/assets/index-abc123.js')).toBe(
      path.join(root, 'assets', 'index-abc123.js'),
    );
    expect(resolveAppFile(root, 'app://kontor/assets/file%20with%20space.svg')).toBe(
      path.join(root, 'assets', 'file with space.svg'),
    );
    expect(resolveAppFile(root, 'app://kontor/assets/style.css?v=1')).toBe(
      path.join(root, 'assets', 'style.css'),
    );
  });

  it('never resolves outside the root', () => {
    const attempts = [
      'app://kontor/../../etc/passwd',
      'app://kontor/../secret.txt',
      'app://kontor/%2e%2e/secret.txt',
      'app://kontor/%2E%2E/%2E%2E/secret.txt',
      'app://kontor/..%2fsecret.txt',
      'app://kontor/assets/..%2f..%2fsecret.txt',
      'app://kontor/..%5csecret.txt',
      `app://kontor/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
      `app://kontor/${path.join(base, 'secret.txt')}`,
      'app://kontor//etc/passwd',
      'app://kontor/../renderer-evil.txt',
      'app://kontor/assets/link.txt',
    ];
    for (const url of attempts) {
      const file = resolveAppFile(root, url);
      if (file !== null) {
        expect(path.relative(root, file).startsWith('..'), `${url} → ${file}`).toBe(false);
        expect(fs.readFileSync(file, 'utf8')).not.toBe('secret');
      }
    }
  });

  it('falls back to index.html for client-side routes only', () => {
    expect(resolveAppFile(root, 'app://kontor/organizations/42')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kontor/folder')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kontor/assets/missing.js')).toBeNull();
    expect(resolveAppFile(root, 'app://kontor/organizations/42', { spaFallback: false })).toBeNull();
  });

  it('returns null for a missing root or a foreign URL', () => {
    expect(resolveAppFile(path.join(base, 'nope'), 'app://kontor/')).toBeNull();
    expect(resolveAppFile(root, 'https://example.com/index.html')).toBeNull();
  });
});

describe('MIME types and headers', () => {
  it('knows what the renderer build contains', () => {
    expect(mimeTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('a/b/app.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('x.mjs')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('x.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('x.json')).toBe('application/json; charset=utf-8');
    expect(mimeTypeOf('x.svg')).toBe('image/svg+xml');
    expect(mimeTypeOf('x.png')).toBe('image/png');
    expect(mimeTypeOf('x.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('x.wasm')).toBe('application/wasm');
    expect(mimeTypeOf('README')).toBe('application/octet-stream');
    expect(mimeTypeOf('x.exe')).toBe('application/octet-stream');
  });

  it('sends the CSP and nosniff with every file', () => {
    const headers = appResponseHeaders('x.js', 12);
    expect(headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(headers['Content-Security-Policy']).toBe(APP_CSP);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Length']).toBe('12');
  });

  it('has a CSP without inline or remote scripts', () => {
    const script = APP_CSP.split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self'");
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('isAppUrl', () => {
  it('accepts only app://kontor', () => {
    expect(isAppUrl('app://kontor/index.html')).toBe(true);
    expect(isAppUrl('app://kontor/organizations?x=1#y')).toBe(true);
    expect(isAppUrl('app://kontor.evil/index.html')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('http://kontor/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});
