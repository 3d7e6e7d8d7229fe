import type { Statement } from 'better-sqlite3';

// The rows a snapshot slice's rows point at (an organization, a product of an invoice line),
// looked up once per slice instead of once per row: a million products of one organization
// asked SQLite a million times whether that organization is there (`SELECT 1 … WHERE id = ?`).
//
// Only "it is there" is kept, and only for one slice (one transaction), dropped when the slice
// ends, thrown or not. Why an answer kept is still true later in the same slice — a row seen
// to exist stays there until the transaction ends:
// - no statement a snapshot slice runs deletes a synced row: the slice inserts and updates rows
//   (RowStore.insertRow, writeFields, writeLines of an invoice's own lines, the default
//   address's clearing UPDATE), writes and takes back change_log entries, parks changes in
//   sync_deferred; the deletes of synced rows are RowStore.deleteRow (a refused push's
//   restore, its own transaction) and the scope purge (after the snapshot, its own
//   transaction) — and deleteRow forgets every answer anyway (RowStore.deleteRow → forget);
// - no deletion cascades: the schema declares no ON DELETE action (db/schema), and SQLite
//   deletes nothing by itself;
// - a row's id never changes: the applier writes no `id` column (RowStore.knownColumn);
// - a write undone inside the slice — a savepoint rolled back, a statement refused — is where
//   a row seen a moment ago may be gone again: flushRow's failure path forgets every answer
//   before anything else runs (db/sync/apply-flush.ts).
// Whatever happens between two slices (the user's writes, a purge, a slice rolled back whole)
// is looked up again: each slice starts knowing nothing.

export class SeenParents {
  /** Per table, the ids seen to exist in this slice; null outside a slice (nothing kept). */
  private seen: Map<string, Set<string>> | null = null;

  /** A slice begins: nothing is known. */
  begin(): void {
    this.seen = new Map();
  }

  /** The slice ended (committed or not): nothing is kept past it. */
  end(): void {
    this.seen = null;
  }

  /** Something in the slice was undone or deleted: every answer is asked again. */
  forget(): void {
    if (this.seen !== null) this.seen = new Map();
  }

  /** Whether the row `table`/`id` exists: kept from this slice, or asked (`SELECT 1 … WHERE id = ?`). */
  exists(table: string, id: unknown, lookup: Statement): boolean {
    const seen = this.seen;
    if (seen === null || typeof id !== 'string') return lookup.get(id) !== undefined;
    let ids = seen.get(table);
    if (ids?.has(id)) return true;
    if (lookup.get(id) === undefined) return false;
    if (!ids) {
      ids = new Set();
      seen.set(table, ids);
    }
    ids.add(id);
    return true;
  }
}
