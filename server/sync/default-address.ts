import { defaultWins } from '#db/sync/default-address';
import { fieldsOf, key, type PushBatch, type RowState } from './push-state';
import { loadRows } from './push-store';

// One default billing address per organization, merged by db/sync/default-address.ts's rule
// (the choice made last wins). After a batch's writes, every organization it gave a default
// keeps only the winning one: the hub clears the others with a write of its own, stamped by
// its clock, which every device receives as an ordinary change — the devices have already
// cleared the same loser as they applied the winner.

const TABLE = 'billing_addresses';

const isDefault = (s: RowState) => {
  const f = fieldsOf(s);
  return f.is_default === true && (f.deleted_at === null || f.deleted_at === undefined);
};
const choiceOf = (s: RowState) => ({
  rowId: s.rowId,
  hlc: (s.fields.get('is_default') ?? s.fields.get('*'))?.hlc ?? '',
});

export async function settleDefaultAddresses(b: PushBatch): Promise<void> {
  const orgs = new Set<string>();
  for (const s of b.rows.values())
    if (s.table === TABLE && s.dirty && isDefault(s)) {
      const org = fieldsOf(s).organization_id;
      if (typeof org === 'string') orgs.add(org);
    }
  for (const org of [...orgs].sort()) {
    // The organization's row locked first (PostgreSQL; in one order for every push): two pushes
    // giving it a default at once take turns, and the second reads the first's address among
    // the stored ones (a later statement than the lock). Read before, it cleared the older
    // address only and left two defaults.
    await b.sql.all(
      `SELECT 1 FROM hub_rows WHERE table_name = 'organizations' AND row_id = ?${b.forUpdate}`,
      [org],
    );
    const stored = await b.sql.all<{ row_id: string }>(
      'SELECT row_id FROM hub_rows WHERE table_name = ? AND org_id = ? AND live = 1',
      [TABLE, org],
    );
    const absent = stored.filter((r) => !b.rows.has(key(TABLE, r.row_id)));
    const loaded = await loadRows(
      b.sql,
      absent.map((r) => ({ table: TABLE, rowId: r.row_id, column: 'is_default', value: null, hlc: '' })),
    );
    for (const [k, s] of loaded) b.rows.set(k, s);
    const defaults = [...b.rows.values()].filter(
      (s) => s.table === TABLE && isDefault(s) && fieldsOf(s).organization_id === org,
    );
    if (defaults.length < 2) continue;
    const winner = defaults.reduce((w, s) => (defaultWins(choiceOf(s), choiceOf(w)) ? s : w));
    for (const loser of defaults) {
      if (loser === winner) continue;
      const hlc = b.hubStamp();
      const seq = await b.position();
      loser.fields.set('is_default', { value: 'false', hlc, seq });
      loser.dirty = true;
      b.log.push({
        seq,
        table: TABLE,
        rowId: loser.rowId,
        column: 'is_default',
        value: 'false',
        hlc,
        deviceId: 'hub',
      });
    }
  }
}
