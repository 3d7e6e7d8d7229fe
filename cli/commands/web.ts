import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startWebHost } from '#core/hosts/web/web-host';
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
    options: { port: { type: 'string', default: '0' }, verbose: { type: 'boolean' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
  await ensureRendererBuilt(ctx);
  const kontor = openForCli(ctx);
  const host = await startWebHost({
    router: kontor.router,
    staticDir: rendererDir(),
    port,
    log: values.verbose ? (line) => ctx.err(line) : undefined,
  });
  ctx.out(host.url);
  // Syncs in the background once a hub is configured (the Sync page), and waits otherwise.
  kontor.sync.start();
  const stop = async () => {
    await host.close();
    kontor.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
