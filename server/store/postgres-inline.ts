import crypto from 'node:crypto';
import pg from 'pg';
import type { SqlParam, Statement } from './types';

// Statements written out whole, for the multi-statement simple queries of a push (its opening
// and its commit: server/store/postgres-positions.ts), which take no parameters: each round
// trip saved costs the hub a socket write and PostgreSQL a wake-up, more CPU than the
// statements it carries (HUB.md "Round trips of a push").

/** `?` followed by its cast, if any (`?::text[]`): the hub's SQL never has a `?` inside a literal. */
const MARK = /\?(::[a-z]+(?:\[\])?)?/g;

/**
 * A value as a literal: text escaped by pg's own escapeLiteral, numbers as they print, an
 * array as ARRAY[…] of those (its cast stays in the text after it). Null when a value cannot
 * travel in a query's text: a NUL ends it on the wire (PostgreSQL's text never holds one).
 */
function literal(v: SqlParam | undefined): string | null {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string') return v.includes('\u0000') ? null : pg.escapeLiteral(v);
  const items = v.map(literal);
  return items.every((i) => i !== null) ? `ARRAY[${items.join(', ')}]` : null;
}

/** A statement with its `?` parameters written in as literals; null when one cannot be. */
export function inlineStatement(s: Statement): string | null {
  let i = 0;
  let ok = true;
  const text = s.text.replace(MARK, (_, cast: string | undefined) => {
    const l = literal(s.params[i++]);
    if (l === null) ok = false;
    return `${l}${cast ?? ''}`;
  });
  return ok && i === s.params.length ? text : null;
}

/**
 * A statement run as `EXECUTE name(literals…)` of the session's prepared statement `name`
 * (`prepareText`): PostgreSQL plans it once per connection, as a protocol-level prepared
 * statement, and only parses the literals. An empty array needs its type: each argument keeps
 * the cast its `?` has in the text.
 */
export function executeStatement(name: string, s: Statement): string | null {
  const casts = [...s.text.matchAll(MARK)].map((m) => m[1] ?? '');
  if (casts.length !== s.params.length) return null;
  const args: string[] = [];
  for (let i = 0; i < casts.length; i++) {
    const l = literal(s.params[i]);
    if (l === null) return null;
    args.push(`${l}${casts[i]}`);
  }
  // A statement without parameters is executed without parentheses (PostgreSQL's grammar).
  return args.length > 0 ? `EXECUTE ${name}(${args.join(', ')})` : `EXECUTE ${name}`;
}

/** `PREPARE name AS …` of a statement's text, its `?` numbered (their casts give their types). */
export function prepareText(name: string, text: string): string {
  let n = 0;
  return `PREPARE ${name} AS ${text.replace(/\?/g, () => `$${++n}`)}`;
}

/** The statements each connection has PREPAREd, by name (apart from pg's protocol-level ones). */
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * A statement as the `EXECUTE` of its prepared form on this connection, PREPAREd first when
 * the connection has not yet (a round trip of its own, once per connection and text): planned
 * once, where a simple query's statements were each parsed and planned on every push (half of
 * PostgreSQL's time in them went to planning). Names are a hash of the text (`kc…`), apart
 * from pg's protocol-level names, whose bookkeeping is the client's own. Null when a value
 * cannot be inlined.
 */
export async function executable(client: Pick<pg.PoolClient, 'query'>, s: Statement): Promise<string | null> {
  const name = `kc${crypto.createHash('sha1').update(s.text).digest('hex').slice(0, 24)}`;
  const execute = executeStatement(name, s);
  if (execute === null) return null;
  let known = preparedOn.get(client);
  if (!known) {
    known = new Set<string>();
    preparedOn.set(client, known);
  }
  if (!known.has(name)) {
    await client.query(prepareText(name, s.text));
    known.add(name);
  }
  return execute;
}
