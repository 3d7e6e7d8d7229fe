import { z } from 'zod';
import { api } from '#core/api/contract';
import type { CliContext } from '../main';
import { openForCli } from '../open';
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

export async function runCall(ctx: CliContext): Promise<number> {
  const [method, json, ...extra] = ctx.args;
  if (!method || extra.length > 0) throw new UsageError("usage: kontor call <method> ['<json input>']");
  let input: unknown = {};
  if (json !== undefined) {
    try {
      input = JSON.parse(json === '-' ? await readStdin() : json);
    } catch {
      throw new UsageError(`the input for ${method} is not valid JSON`);
    }
  }
  const kontor = openForCli(ctx);
  try {
    const result = await kontor.router.invoke(method, input, { locale: ctx.locale });
    if (result.ok) {
      ctx.out(JSON.stringify(result.value, null, 2));
      return 0;
    }
    ctx.err(JSON.stringify({ code: result.error.code, message: result.error.message }));
    return 1;
  } finally {
    kontor.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
