import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../main';
import { CliApiError, callOrThrow, openForCli, saveTo } from '../open';
import { UsageError } from '../usage';

export async function runBackup(ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args: ctx.args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UsageError('usage: kontor backup --out FILE');
  const kontor = openForCli(ctx);
  try {
    const result = await saveTo(kontor, ctx, 'system.backupFile', {}, values.out);
    ctx.out(`backup written: ${result.file} (${result.bytes} bytes)`);
    return 0;
  } catch (error) {
    if (error instanceof CliApiError) {
      ctx.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    kontor.close();
  }
}

export async function runRestore(ctx: CliContext): Promise<number> {
  const { positionals } = parseArgs({ args: ctx.args, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('usage: kontor restore FILE');
  const kontor = openForCli(ctx);
  try {
    const result = await callOrThrow(kontor, ctx, 'system.restore', {
      file: path.resolve(positionals[0] as string),
    });
    ctx.out(`restored; previous database kept at ${result.safetyCopy}; new device id ${result.deviceId}`);
    return 0;
  } catch (error) {
    if (error instanceof CliApiError) {
      ctx.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    kontor.close();
  }
}
