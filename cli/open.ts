import { type Kontor, openKontor } from '#core/kontor';
import type { CliContext } from './main';

export function openForCli(ctx: CliContext): Kontor {
  return openKontor({ dbFile: ctx.dbFile, appVersion: process.env.npm_package_version ?? 'dev' });
}

export async function callOrThrow<T>(
  kontor: Kontor,
  ctx: CliContext,
  method: string,
  input: unknown,
): Promise<T> {
  const result = await kontor.router.invoke(method, input, { locale: ctx.locale });
  if (!result.ok) throw new CliApiError(result.error.code, result.error.message);
  return result.value as T;
}

export class CliApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
