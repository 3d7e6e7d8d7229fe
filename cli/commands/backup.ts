import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../main';
import { callOrThrow, saveTo, withKontor } from '../open';
import { UsageError } from '../usage';

export async function runBackup(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args: ctx.args, options: { out: { type: 'string' } } });
  const out = values.out;
  if (!out) throw new UsageError('usage: kontor backup --out FILE');
  return withKontor(ctx, async (kontor) => {
    const result = await saveTo(kontor, ctx, 'system.backupFile', {}, out);
    ctx.out(`backup written: ${result.file} (${result.bytes} bytes)`);
    return 0;
  });
}

export async function runRestore(ctx: CliContext): Promise<number> {
  const { positionals } = parseArgs({ args: ctx.args, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('usage: kontor restore FILE');
  return withKontor(ctx, async (kontor) => {
    const result = await callOrThrow(kontor, ctx, 'system.restore', {
      file: path.resolve(positionals[0] as string),
    });
    ctx.out(`restored; previous database kept at ${result.safetyCopy}; new device id ${result.deviceId}`);
    return 0;
  });
}
