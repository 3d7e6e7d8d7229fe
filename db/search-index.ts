// Keeping the search index (migration 0013: search_docs + one FTS5 table per kind) current,
// set-based. Since migration 0022 the triggers on organizations, people, products, invoices
// and billing_addresses only note which rows changed (search_pending); this module turns the
// notes into index entries, a kind at a time with one statement per step, before the
// transaction that wrote them commits (open.ts runs it at the end of every transaction).
//
// Why not the per-row triggers of 0013: a trigger that writes an FTS5 table makes SQLite open
// a statement journal for every INSERT into the table that fires it (a virtual-table write
// "may abort"), which copies each page the row touches — 13 indexes for an invoice — before
// changing it: an empty trigger already tripled the cost of a bare invoice insert, and the
// whole upkeep made the bulk write 2.0–2.4× slower. A note is a plain append; a batch of 5,000
// is then indexed by four statements instead of 20,000 trigger steps, and FTS5 receives its
// rows in ascending rowid order (its in-memory segment is flushed whenever a rowid goes back).
//
// The words each kind is found by live here, once (0013's triggers said the same thing).
import type { RawDb } from './open';

type Kind = 'organization' | 'person' | 'product' | 'invoice';

const UID_DIGITS = "replace(replace(replace(o.uid, '-', ''), '.', ''), ' ', '')";

/** What each kind is found by: the FTS columns and the SQL that fills them from row `o`. */
const KINDS: Record<Kind, { table: string; fts: string; columns: string; values: string }> = {
  organization: {
    table: 'organizations',
    fts: 'search_organizations',
    columns: 'words',
    // Name, short name, the UID as written, as digits, and without its CHE prefix, the VAT
    // number with and without its country prefix, and the cities of its billing addresses.
    values: `o.name || ' ' || coalesce(o.short_name, '') || ' ' || coalesce(o.uid || ' ' || ${UID_DIGITS} || ' ' || substr(${UID_DIGITS}, 4), '') || ' ' || coalesce(o.vat_number || ' ' || substr(o.vat_number, 3), '') || ' ' || coalesce((SELECT group_concat(a.city, ' ') FROM billing_addresses a WHERE a.organization_id = o.id AND a.deleted_at IS NULL), '')`,
  },
  person: { table: 'people', fts: 'search_people', columns: 'words', values: `o.name || ' ' || o.email` },
  product: { table: 'products', fts: 'search_products', columns: 'words', values: 'o.name' },
  invoice: {
    table: 'invoices',
    fts: 'search_invoices',
    columns: 'words, amount',
    // Number, the name it was issued to (the payer's current name while it has no snapshot),
    // payment reference as written and without spaces, import reference; and the amount.
    values: `coalesce(o.number, '') || ' ' || coalesce(CASE WHEN json_valid(o.bill_to) THEN json_extract(o.bill_to, '$.name') END, (SELECT c.name FROM organizations c WHERE c.id = o.organization_id), '') || ' ' || coalesce(o.payment_reference || ' ' || replace(o.payment_reference, ' ', ''), '') || ' ' || coalesce(o.import_ref, ''), abs(o.gross_minor)`,
  },
};

/** The statements that turn a kind's notes into index entries (in this order). */
function stepsSql(kind: Kind, table: string, fts: string, columns: string, values: string): string[] {
  const noted = `(SELECT ref_id FROM search_pending WHERE kind = '${kind}')`;
  return [
    // The entries these rows had (a changed or deleted row; a new row has none).
    `DELETE FROM ${fts} WHERE rowid IN (SELECT doc_id FROM search_docs WHERE kind = '${kind}' AND ref_id IN ${noted})`,
    `DELETE FROM search_docs WHERE kind = '${kind}' AND ref_id IN ${noted}
       AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = search_docs.ref_id AND t.deleted_at IS NULL)`,
    // New rows get their doc ids in the order they were written (invoices are listed newest first by it).
    `INSERT OR IGNORE INTO search_docs (kind, ref_id)
       SELECT '${kind}', t.id FROM (SELECT ref_id, min(rowid) AS at FROM search_pending WHERE kind = '${kind}' GROUP BY ref_id) p
       JOIN ${table} t ON t.id = p.ref_id WHERE t.deleted_at IS NULL ORDER BY p.at`,
    `INSERT INTO ${fts} (rowid, ${columns})
       SELECT d.doc_id, ${values} FROM search_docs d JOIN ${table} o ON o.id = d.ref_id
       WHERE d.kind = '${kind}' AND d.ref_id IN ${noted} AND o.deleted_at IS NULL ORDER BY d.doc_id`,
  ];
}

/**
 * Statements that build the index of every kind again from every row, whatever was noted: a
 * bulk load that noted nothing (db/sync/bulk-load.ts) ends with them. Not the notes' way
 * (noting a million rows, then matching the index against the notes): each kind's entries are
 * dropped whole and written again in the order the rows were written (rowid), as the notes'
 * way numbers them. Plain SQL, so another connection (a worker thread's) can run them.
 */
export function reindexEverythingSql(): string[] {
  const out: string[] = [];
  for (const [kind, { table, fts, columns, values }] of Object.entries(KINDS) as [
    Kind,
    (typeof KINDS)[Kind],
  ][]) {
    out.push(
      `INSERT INTO ${fts} (${fts}) VALUES ('delete-all')`,
      `DELETE FROM search_docs WHERE kind = '${kind}'`,
      `INSERT INTO search_docs (kind, ref_id) SELECT '${kind}', id FROM ${table} WHERE deleted_at IS NULL ORDER BY rowid`,
      `INSERT INTO ${fts} (rowid, ${columns})
         SELECT d.doc_id, ${values} FROM search_docs d JOIN ${table} o ON o.id = d.ref_id
         WHERE d.kind = '${kind}' ORDER BY d.doc_id`,
      // What was noted meanwhile is in already.
      `DELETE FROM search_pending WHERE kind = '${kind}'`,
    );
  }
  return out;
}

interface Statements {
  /** False on a file migrated only up to before 0022 (tests of old migrations): nothing to keep. */
  any: () => boolean;
  kinds: () => Kind[];
  steps: Record<Kind, (() => void)[]>;
  clear: () => void;
  note: (kind: Kind, ref: string) => void;
  noteInvoicesSince: (rowid: number) => void;
}

const prepared = new WeakMap<RawDb, Statements>();

function statementsFor(raw: RawDb): Statements {
  let st = prepared.get(raw);
  if (st) return st;
  if (!raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_pending'").get()) {
    const none = () => {};
    st = {
      any: () => false,
      kinds: () => [],
      steps: {} as Statements['steps'],
      clear: none,
      note: none,
      noteInvoicesSince: none,
    };
    prepared.set(raw, st);
    return st;
  }
  const any = raw.prepare('SELECT EXISTS (SELECT 1 FROM search_pending)').pluck();
  const kinds = raw.prepare('SELECT DISTINCT kind FROM search_pending').pluck();
  const clear = raw.prepare('DELETE FROM search_pending');
  const note = raw.prepare('INSERT INTO search_pending (kind, ref_id) VALUES (?, ?)');
  const since = raw.prepare(
    "INSERT INTO search_pending (kind, ref_id) SELECT 'invoice', id FROM invoices WHERE rowid > ? ORDER BY rowid",
  );
  const steps = {} as Record<Kind, (() => void)[]>;
  for (const [kind, { table, fts, columns, values }] of Object.entries(KINDS) as [
    Kind,
    (typeof KINDS)[Kind],
  ][]) {
    steps[kind] = stepsSql(kind, table, fts, columns, values).map((sql) => {
      const statement = raw.prepare(sql);
      return () => void statement.run();
    });
  }
  st = {
    any: () => any.get() === 1,
    kinds: () => kinds.all() as Kind[],
    steps,
    clear: () => void clear.run(),
    note: (kind, ref) => void note.run(kind, ref),
    noteInvoicesSince: (rowid) => void since.run(rowid),
  };
  prepared.set(raw, st);
  return st;
}

/**
 * Indexes the rows noted since the last call, inside the caller's transaction. Cheap when
 * nothing was noted (one indexed EXISTS). Safe to call at any time: it only makes the index
 * say what the tables say.
 */
export function flushSearchIndex(raw: RawDb): void {
  const st = statementsFor(raw);
  if (!st.any()) return;
  for (const kind of st.kinds()) for (const step of st.steps[kind]) step();
  st.clear();
}

/**
 * Every transaction on this connection indexes what it wrote before it commits: better-sqlite3
 * has no commit hook, so its transaction function is wrapped once, here, for all of Kontor —
 * services (ctx.write, atomically), bulk writers, imports, the demo, sync apply and drizzle's
 * own transactions — and a savepoint inside an outer transaction indexes its part before it is
 * released. A write outside any transaction (a lone statement) is indexed by the next
 * transaction, or by search itself (catchUpSearchIndex), before anything reads the index.
 */
export function indexAtEveryCommit(raw: RawDb): void {
  const transaction = raw.transaction.bind(raw);
  raw.transaction = ((fn: (...args: never[]) => unknown) =>
    transaction((...args: never[]) => {
      const result = fn(...args);
      flushSearchIndex(raw);
      return result;
    })) as RawDb['transaction'];
}

/** Before reading the index: indexes whatever a lone statement noted (no-op in a read-only connection). */
export function catchUpSearchIndex(raw: RawDb): void {
  if (raw.readonly || !statementsFor(raw).any()) return;
  if (raw.inTransaction) flushSearchIndex(raw);
  else raw.transaction(() => flushSearchIndex(raw)).immediate();
}

/** The kind a table's new row notes (a billing address notes its organization). */
const INSERT_NOTES: Record<string, Kind> = {
  organizations: 'organization',
  people: 'person',
  products: 'product',
  invoices: 'invoice',
  billing_addresses: 'organization',
};

/**
 * Notes a row inserted while its insert trigger was set aside (db/derived-inserts.ts). A
 * billing address notes its organization (found by the cities of its addresses). Harmless twice.
 */
export function noteInserted(raw: RawDb, table: string, rowId: string, organizationId: unknown): void {
  const kind = INSERT_NOTES[table];
  if (!kind) return;
  const st = statementsFor(raw);
  if (table !== 'billing_addresses') st.note(kind, rowId);
  else if (typeof organizationId === 'string') st.note(kind, organizationId);
}

/** Notes, in one statement, the invoices written after rowid `after` (a bulk batch's, by rowid order). */
export function noteInvoicesSince(raw: RawDb, after: number): void {
  statementsFor(raw).noteInvoicesSince(after);
}
