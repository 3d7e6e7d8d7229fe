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
 * A value as a literal: text escaped by pg's own escapeLiteral (plain text, without a quote or
 * a backslash, needs none: quoted as it is), numbers as they print, an array as ARRAY[…] of
 * those (its cast follows it). Null when a value cannot travel in a query's text: a NUL ends
 * it on the wire (PostgreSQL's text never holds one).
 */
function literal(v: SqlParam | undefined): string | null {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string') {
    if (v.includes('\u0000')) return null;
    return NEEDS_ESCAPE.test(v) ? pg.escapeLiteral(v) : `'${v}'`;
  }
  let out = 'ARRAY[';
  for (let i = 0; i < v.length; i++) {
    const l = literal(v[i]);
    if (l === null) return null;
    out += i === 0 ? l : `, ${l}`;
  }
  return `${out}]`;
}
const NEEDS_ESCAPE = /['\\]/;

/** What a statement's text gives once: its prepared name, its `?`s' casts, its PREPARE. */
interface Shape {
  name: string;
  casts: string[];
  prepare: string;
}
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 1_000;

function shapeOf(text: string): Shape {
  const known = shapes.get(text);
  if (known) return known;
  // Names are a hash of the text (`kc…`), apart from pg's protocol-level names (`k…`), whose
  // bookkeeping is the client's own.
  const name = `kc${crypto.createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  let n = 0;
  const shape = {
    name,
    casts: [...text.matchAll(MARK)].map((m) => m[1] ?? ''),
    // Its `?` numbered: their casts give the parameters' types.
    prepare: `PREPARE ${name} AS ${text.replace(/\?/g, () => `$${++n}`)}`,
  };
  // The push's texts are a handful; past the bound (never reached) nothing more is remembered.
  if (shapes.size < MAX_SHAPES) shapes.set(text, shape);
  return shape;
}

/**
 * A statement as `EXECUTE name(literals…)` of its prepared form: PostgreSQL plans it once per
 * connection, like a protocol-level prepared statement, and only parses the literals. An empty
 * array needs its type: each argument keeps the cast its `?` has in the text.
 */
function executeStatement(shape: Shape, params: readonly SqlParam[]): string | null {
  if (shape.casts.length !== params.length) return null;
  if (params.length === 0) return `EXECUTE ${shape.name}`; // no parentheses without arguments
  let out = `EXECUTE ${shape.name}(`;
  for (let i = 0; i < params.length; i++) {
    const l = literal(params[i]);
    if (l === null) return null;
    out += `${i === 0 ? '' : ', '}${l}${shape.casts[i]}`;
  }
  return `${out})`;
}

/** The statements each connection has PREPAREd, by name (apart from pg's protocol-level ones). */
const preparedOn = new WeakMap<object, Set<string>>();
/** Connections whose PREPAREd statements are no longer known (a query carrying some failed). */
const unknownPrepared = new WeakSet<object>();

/**
 * A statement as the `EXECUTE` of its prepared form on this connection, preceded by its
 * `PREPARE` in the same text when the connection has not prepared it yet: planned once per
 * connection, where a simple query's statements were each parsed and planned on every push
 * (half of PostgreSQL's time in them went to planning), and prepared in the round trip that
 * first runs it — a new connection (the pool's, or one renewed as the hub grows:
 * ./postgres-plans.ts `PlanAges`) made a round trip per statement before. Run it with
 * `runInlined`. Null when a value cannot be inlined.
 */
export function executable(client: Pick<pg.PoolClient, 'query'>, s: Statement): string | null {
  const shape = shapeOf(s.text);
  const execute = executeStatement(shape, s.params);
  if (execute === null) return null;
  let known = preparedOn.get(client);
  if (!known) {
    known = new Set<string>();
    preparedOn.set(client, known);
  }
  if (known.has(shape.name)) return execute;
  // Taken for prepared from here on: a later statement of the same query runs after it.
  known.add(shape.name);
  return `${shape.prepare}; ${execute}`;
}

/**
 * Statements made by `executable` (and plain ones), as one multi-statement simple query; the
 * results of its statements in order, the PREPAREs' left out. A PREPARE outlives a rollback but
 * not a statement that failed before it: after a failed query that carried any, which of them
 * exist is unknown, and the connection is to be closed (`preparedUnknown`).
 */
export async function runInlined(client: Pick<pg.PoolClient, 'query'>, parts: readonly string[]): Promise<pg.QueryResult[]> {
  try {
    const r = (await client.query(parts.join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(r) ? r : [r]).filter((x) => x.command !== 'PREPARE');
  } catch (error) {
    if (parts.some((p) => p.startsWith('PREPARE '))) unknownPrepared.add(client);
    throw error;
  }
}

/** Whether every value of the statement can travel in a query's text (see `literal`). */
export const inlinable = (s: Statement): boolean => executeStatement(shapeOf(s.text), s.params) !== null;

/** For a caller that made PREPAREs it will not send after all (it failed first): see `runInlined`. */
export const forgetPrepared = (client: object): void => {
  unknownPrepared.add(client);
};

/** True when the connection must be closed: its prepared statements are no longer known. */
export const preparedUnknown = (client: object): boolean => unknownPrepared.has(client);

/**
 * A statement with its values written in as literals, for a statement that takes no
 * parameters (COPY: ./postgres-copy.ts). Null when a value cannot be inlined.
 */
export function inlined(s: Statement): string | null {
  let i = 0;
  let failed = false;
  const text = s.text.replace(/\?/g, () => {
    const l = literal(s.params[i++]);
    if (l === null) failed = true;
    return l ?? '';
  });
  return failed || i !== s.params.length ? null : text;
}
