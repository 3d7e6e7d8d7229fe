import type { PushRequest } from '#common/sync/protocol';
import { linksAndFirstReads, type ScopeRead, splitLinks } from '../scope';
import type { Engine, PushOpening, SqlRow } from '../store/types';
import { actorOf, actorReads, type HubActor } from './actor';
import { rowReads } from './push-store';
import type { RowState } from './push-state';

// What a push reads before it decides, asked of the store with its opening (HUB.md "Push"): on
// PostgreSQL all of it travels in the push's first round trip, after the device's row is locked
// (server/store/postgres-positions.ts registerAndBegin) — the batch's rows locked then read, the
// user, its person's roles, its links and the scope's first reads over them. A push was nine
// round trips and each cost the hub and the database more CPU than the statements it carried.
// SQLite, where a statement costs no round trip, reads as it goes (PushBatch.load).

/** What the opening read, ready for the batch (PushBatch.load). */
export interface Preread {
  rows: Map<string, RowState>;
  actor: HubActor;
  /** The scope's first reads over `actor.linked`, read in the same statement (server/scope.ts). */
  scopeFirst: ScopeRead[];
}

/** The opening of a push by this user: the device's lock and answer, then the batch's reads. */
export function pushOpening(
  engine: Engine,
  deviceId: string,
  userId: string,
  tokenHash: string,
  request: PushRequest,
): PushOpening & { collect(results: readonly SqlRow[][]): Preread } {
  // SQLite runs nothing in an opening (its store ignores it): the reads are not even built.
  if (engine !== 'postgres')
    return {
      deviceId,
      tokenHash,
      batchId: request.batchId,
      positions: request.changes.length,
      reads: [],
      collect: () => {
        throw new Error('no opening reads on SQLite');
      },
    };
  const rows = rowReads(engine, request.changes);
  const who = [...actorReads(userId), linksAndFirstReads(userId)];
  const n = rows.statements.length;
  return {
    deviceId,
    tokenHash,
    batchId: request.batchId,
    positions: request.changes.length,
    reads: [...rows.statements, ...who],
    collect(results) {
      const [user, roles, linksAndFirst] = results.slice(n);
      const { links, first } = splitLinks(linksAndFirst ?? []);
      return {
        rows: rows.collect(results.slice(0, n)),
        actor: actorOf(user?.[0], links, (roles ?? []) as { org_id: string; value: string | null }[]),
        scopeFirst: first,
      };
    },
  };
}
