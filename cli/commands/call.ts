import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { api } from '#core/api/contract';
import type { StreamSink } from '#core/api/router';
import { fileSink } from '#core/hosts/file-sink';
import type { CliContext } from '../main';
import { withKontor } from '../open';
import { UsageError } from '../usage';

export async function runMethods(ctx: CliContext): Promise<number> {
  const json = ctx.args.includes('--json');
  const rows = Object.entries(api).map(([name, def]) => ({
    name,
    summary: def.summary,
    kind: def.kind,
    mutates: def.mutates,
    doors: def.doors,
    input: z.toJSONSchema(def.input, { unrepresentable: 'any', io: 'input' }),
  }));
  if (json) ctx.out(JSON.stringify(rows, null, 2));
  else
    for (const row of rows)
      ctx.out(`${row.name}  (${row.kind}) ${row.summary}\n  input: ${JSON.stringify(row.input)}`);
  return 0;
}

const CALL_USAGE = "usage: kontor call <method> ['<json input>'] [--out FILE]";

export async function runCall(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: { out: { type: 'string' } },
    allowPositionals: true,
  });
  const [method, json, ...extra] = positionals;
  if (!method || extra.length > 0) throw new UsageError(CALL_USAGE);
  let input: unknown = {};
  if (json !== undefined) {
    try {
      input = JSON.parse(json === '-' ? await readStdin() : json);
    } catch {
      throw new UsageError(`the input for ${method} is not valid JSON`);
    }
  }
  const def = Object.hasOwn(api, method) ? api[method as keyof typeof api] : undefined;
  if (def?.kind === 'stream') return callStream(ctx, method, input, values.out);
  if (values.out !== undefined) throw new UsageError(`${method} answers JSON: --out is for stream methods`);
  return withKontor(ctx, async (kontor) => {
    const result = await kontor.router.invoke(method, input, { locale: ctx.locale });
    if (result.ok) {
      ctx.out(JSON.stringify(result.value, null, 2));
      return 0;
    }
    ctx.err(JSON.stringify({ code: result.error.code, message: result.error.message }));
    return 1;
  });
}

/**
 * A stream method's bytes (a PDF, an export, a backup) go to --out through the same sink as
 * the friendly commands, or to stdout with `--out -` for a pipe; never to a terminal.
 */
async function callStream(ctx: CliContext, method: string, input: unknown, out: string | undefined) {
  if (out === undefined) throw new UsageError(`${method} produces a file: add --out FILE (or --out - for stdout)`);
  return withKontor(ctx, async (kontor) => {
    const options = { locale: ctx.locale, door: 'local' as const };
    const sink = out === '-' ? stdoutSink() : fileSink(path.resolve(out));
    const result = await kontor.router.stream(method, input, options, sink);
    if (!result.ok) {
      ctx.err(JSON.stringify({ code: result.error.code, message: result.error.message }));
      return 1;
    }
    if (out !== '-') ctx.out(JSON.stringify(result.value));
    return 0;
  });
}

function stdoutSink(): StreamSink {
  return {
    open: () => {
      // The router ends the stream it is given; stdout must stay open for the exit message.
      const pass = new PassThrough();
      pass.pipe(process.stdout, { end: false });
      return pass;
    },
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
