import fs from 'node:fs';
import path from 'node:path';

/**
 * The renderer is served from app://kontor/… instead of file://: a standard, secure scheme
 * gives the page a real origin (so 'self' in the CSP means something and the IPC sender
 * check has an origin to compare), and nothing outside the built renderer is reachable.
 * Plain Node, so the path resolution is unit-tested without Electron.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kontor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged (structurally Electron's Privileges). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  // Never bypassCSP, corsEnabled for others, allowServiceWorkers or stream: not needed.
  codeCache: true,
} as const;

/**
 * The page's Content-Security-Policy, sent as a header on every app:// response (the
 * renderer's index.html may carry a meta tag too; the stricter of both applies).
 * 'unsafe-inline' styles only: component libraries set style attributes.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

export function mimeTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers for a file served on app:// (CSP on every response, not only on HTML). */
export function appResponseHeaders(file: string, byteLength?: number): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': mimeTypeOf(file),
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // index.html must be re-read after an update; hashed assets could be cached, but the
    // files are local and cheap to read, so nothing is cached at all.
    'Cache-Control': 'no-store',
  };
  if (byteLength !== undefined) headers['Content-Length'] = String(byteLength);
  return headers;
}

/** True when `url` parses as an app://kontor/ URL (the only origin the window may show). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * Turns an app:// URL into a relative POSIX path inside the renderer root, or null. The URL
 * parser has already collapsed `..` and `%2e%2e` segments; after decoding once, anything that
 * could still climb or jump (`..`, `\`, NUL, a drive letter, an encoded `/` hiding a `..`)
 * is refused outright rather than normalised. Query and fragment are ignored.
 */
export function appUrlToRelativePath(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  if (segments[0] !== undefined && /^[a-zA-Z]:/.test(segments[0])) return null;
  if (segments.length === 0) return 'index.html';
  return segments.join('/');
}

export interface ResolveOptions {
  /** Serve index.html for extension-less paths (client-side routes). Default true. */
  spaFallback?: boolean;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (!path.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${path.sep}`))
  );
}

/**
 * Resolves an app:// URL to an existing regular file inside `root`, or null (→ 404).
 * Defence in depth: the URL is refused before touching the disk if it tries to climb, and
 * the real path (symlinks followed) must still lie inside the real root.
 */
export function resolveAppFile(root: string, url: string, options: ResolveOptions = {}): string | null {
  const relative = appUrlToRelativePath(url);
  if (relative === null) return null;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(path.resolve(root));
  } catch {
    return null;
  }
  const found = existingFileInside(realRoot, relative);
  if (found) return found;
  const spaFallback = options.spaFallback ?? true;
  if (!spaFallback || path.posix.extname(relative) !== '') return null;
  return existingFileInside(realRoot, 'index.html');
}

function existingFileInside(realRoot: string, relative: string): string | null {
  const candidate = path.resolve(realRoot, ...relative.split('/'));
  if (!isInside(realRoot, candidate)) return null;
  try {
    const real = fs.realpathSync(candidate);
    if (!isInside(realRoot, real)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
