import { EVERYONE, type RowKey, type ScopeSet, visibilityOf } from '#common/sync/visibility';
import type { Scope } from '../scope';
import type { SqlValue } from '../store/types';

// The visibility rule (common/sync/visibility.ts) as an SQL condition on hub_rows (alias r),
// the caller's scope sets bound as JSON array parameters: the snapshot scan and the checksum
// join a row to the scope in the database, never row by row in JavaScript.

const COLUMN: Record<RowKey, string> = {
  rowId: 'r.row_id',
  orgId: 'r.org_id',
  org2Id: 'r.org2_id',
  productId: 'r.product_id',
};

/** `inSet` is the store's subquery over one JSON array parameter (HubStore.inSet). */
export function visibleSql(
  table: string,
  scope: Scope,
  inSet: string,
): { where: string; params: SqlValue[] } {
  const rule = visibilityOf(table);
  if (rule === EVERYONE) return { where: '1 = 1', params: [] };
  const params: SqlValue[] = [];
  const json = new Map<ScopeSet, string>();
  const setParam = (set: ScopeSet) => {
    let text = json.get(set);
    if (text === undefined) {
      text = JSON.stringify([...scope[set]]);
      json.set(set, text);
    }
    return text;
  };
  const grants: string[] = [];
  for (const grant of rule) {
    // An empty set grants nothing: left out, the database has fewer probes per row.
    if (grant.some(([, set]) => scope[set].size === 0)) continue;
    grants.push(
      `(${grant
        .map(([key, set]) => {
          params.push(setParam(set));
          return `${COLUMN[key]} IN ${inSet}`;
        })
        .join(' AND ')})`,
    );
  }
  return grants.length === 0 ? { where: '1 = 0', params: [] } : { where: `(${grants.join(' OR ')})`, params };
}
