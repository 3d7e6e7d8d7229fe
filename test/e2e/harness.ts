import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startWebHost, type WebHost } from '#core/hosts/web/web-host';
import { type Kontor, openKontor } from '#core/kontor';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');
const CHROMIUM = process.env.KONTOR_CHROMIUM ?? '/usr/bin/chromium';

export interface Session {
  dir: string;
  kontor: Kontor;
  host: WebHost;
  context: BrowserContext;
  page: Page;
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real Kontor on a temporary SQLite file, the real web host serving the built renderer,
 * and Debian's Chromium driven by playwright-core — as a person would use it.
 */
export interface SessionOptions {
  locale?: string;
  seed?: (kontor: Kontor) => Promise<void>;
  viewport?: { width: number; height: number };
  /** The system theme the page sees (the app follows it unless told otherwise). */
  colorScheme?: 'light' | 'dark';
}

export async function startSession(name: string, options: SessionOptions = {}): Promise<Session> {
  const index = path.join(ROOT, 'build', 'renderer', 'index.html');
  if (!fs.existsSync(index))
    throw new Error('build the interface first: npx vite build --config renderer/vite.config.ts');
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kontor-e2e-${name}-`));
  const kontor = openKontor({ dbFile: path.join(dir, 'kontor.sqlite') });
  await options.seed?.(kontor);
  const host = await startWebHost({
    router: kontor.router,
    staticDir: path.join(ROOT, 'build', 'renderer'),
  });
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    locale: options.locale ?? 'en-GB',
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1360, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  fs.mkdirSync(path.join(ARTIFACTS, name), { recursive: true });
  let step = 0;
  return {
    dir,
    kontor,
    host,
    context,
    page,
    async shot(label: string) {
      step++;
      const file = path.join(ARTIFACTS, name, `${String(step).padStart(2, '0')}-${label}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await context.close();
      await host.close();
      kontor.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    },
  };
}

/** Waits until `locator` matches exactly `count` elements (playwright-core has no expect). */
export async function expectCount(
  locator: import('playwright-core').Locator,
  count: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${count} elements for ${locator}, found ${last}`);
}

/** Waits until the first match's text contains `text`. */
export async function expectText(
  locator: import('playwright-core').Locator,
  text: string | RegExp,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last =
      (await locator
        .first()
        .textContent()
        .catch(() => '')) ?? '';
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${locator} to contain ${text}, found "${last}"`);
}

/** A calendar day (yyyy-mm-dd) written as `locale` writes it in short form: 07.12.2026, 07/12/2026. */
export function regionDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
}

/**
 * Types a date into a DateField the way a person of `locale` would — "07.12.2026" in de-CH —
 * keys and separators alike, then waits until the field holds that day.
 */
export async function typeDate(page: Page, testId: string, iso: string, locale: string): Promise<void> {
  const field = page.getByTestId(testId);
  await field.locator('[role="spinbutton"]').first().click();
  await page.keyboard.type(regionDate(iso, locale));
  await field.and(page.locator(`[data-value="${iso}"]`)).waitFor({ timeout: 5_000 });
}

/** A walk's screen: its size, theme and the browser's language. */
export interface Variant {
  width: number;
  height: number;
  colorScheme: 'light' | 'dark';
  locale: string;
}

/**
 * One session for the describe block it is called in, on `variant`, in a fresh artifacts folder:
 * started before the block's tests (handed to `opened`), closed after them.
 */
export function sessionForBlock(
  name: string,
  variant: Variant,
  seed: (kontor: Kontor) => Promise<void>,
  opened: (session: Session) => void,
  timeoutMs = 60_000,
): void {
  let session: Session | undefined;
  beforeAll(async () => {
    fs.rmSync(path.join(ARTIFACTS, name), { recursive: true, force: true });
    session = await startSession(name, {
      locale: variant.locale,
      viewport: { width: variant.width, height: variant.height },
      colorScheme: variant.colorScheme,
      seed,
    });
    opened(session);
  }, timeoutMs);
  afterAll(async () => {
    await session?.close();
  });
}
