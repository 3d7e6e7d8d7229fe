import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveLocale } from '#common/i18n/locale';
import { translate } from '#common/i18n/translate';
import { webHostStart } from '#common/i18n/web-host';
import { readRememberedPort, rememberedPortFile, rememberPort } from '#core/hosts/web/remembered-port';
import { startWebHost } from '#core/hosts/web/web-host';
import { openInBrowser } from '../open-browser';
import type { CliContext } from '../main';
import { openForCli } from '../open';
import { UsageError } from '../usage';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function rendererDir(): string {
  return path.join(repoRoot, 'build', 'renderer');
}

/** Builds the renderer when this checkout has never built it, so `kontor web` just works. */
async function ensureRendererBuilt(ctx: CliContext): Promise<void> {
  if (fs.existsSync(path.join(rendererDir(), 'index.html'))) return;
  ctx.err('building the interface (first start)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

export async function runWeb(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args: ctx.args,
    options: { port: { type: 'string' }, verbose: { type: 'boolean' }, 'no-open': { type: 'boolean' } },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError('--port must be 0–65535');
  await ensureRendererBuilt(ctx);
  const kontor = openForCli(ctx);
  // --port wins; otherwise the last start's port, so that a bookmark keeps working.
  const portFile = rememberedPortFile(ctx.dbFile);
  const host = await startWebHost({
    router: kontor.router,
    staticDir: rendererDir(),
    port: port ?? readRememberedPort(portFile),
    fallbackToFreePort: port === undefined,
    log: values.verbose ? (line) => ctx.err(line) : undefined,
  });
  if (port === undefined) rememberPort(portFile, host.port);
  // Before saying "press Ctrl+C": a Ctrl+C right after the sentence must find its handler.
  const stop = async () => {
    await host.close();
    kontor.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const locale = resolveLocale(ctx.locale);
  const say = (key: keyof typeof webHostStart.en, params = {}) =>
    translate(webHostStart, locale, key, params);
  if (host.portTaken !== undefined) ctx.err(say('port_taken', { wanted: host.portTaken, port: host.port }));
  ctx.out(say('open_link'));
  ctx.out(host.url);
  ctx.out(say('database', { file: path.resolve(ctx.dbFile) }));
  ctx.out(say('stop'));
  if (!values['no-open'] && openInBrowser(host.url)) ctx.out(say('browser_opened'));
  // Syncs in the background once a hub is configured (the Sync page), and waits otherwise.
  kontor.sync.start();
  // The mail outbox retries what could not leave while the server was out of reach.
  kontor.mail.start();
  return -1;
}
