// How the push's generic plans stay fitted to a growing hub on PostgreSQL (server/HUB.md "Push").

/** The tables whose statistics the push's reads are planned by (their rows, fields and the user's links). */
export const ANALYZED_TABLES = 'hub_rows, hub_fields, hub_user_orgs';

/**
 * A push's statements run their generic plans (./postgres-positions.ts), made once per
 * connection with the table statistics of that moment, and PostgreSQL keeps them until an
 * ANALYZE of their tables (autovacuum: a minute or more apart). Without statistics — a young
 * hub's tables never analyzed yet — the planner takes `table_name = $1` for nearly unique and
 * reads the batch's fields by `table_name` alone with its ids as a filter, every field of the
 * table (measured: 49 ms a push once 20k products had arrived, against a fraction of a
 * millisecond planned with statistics). Two remedies, both as the hub doubles (its log's
 * positions past twice what they were, plus 1,000):
 *
 * - The hub process ANALYZEs those tables itself, a little before (past 1.5 times), one at a time,
 *   in the background on a connection of its own: PostgreSQL plans every prepared statement that
 *   reads them again on its next use, in every connection of every hub process, with statistics
 *   that no longer mislead as the hub grows further. Through the pool, the ANALYZE waited behind
 *   every push queued for a connection (2 s in the benchmark) while the connections it would have
 *   spared came due.
 * - A connection that planned before the hub more than doubled, and saw no ANALYZE since, is
 *   closed when its push ends; the next one plans afresh. Each connection draws how much more
 *   than double (2 to 3 times): opened together, the pool's connections were all renewed at one
 *   size — in the benchmark's empty hub 20 within 370 ms, five in one millisecond — each a new
 *   backend (about 4 ms of PostgreSQL CPU before its first statement) and its plans made again
 *   while the pushes in flight waited. The ANALYZE comes first, and no connection is closed while
 *   one runs (under load it took 300 ms and more, and the connections came due meanwhile): a
 *   connection is renewed only when the ANALYZE is not there to renew its plans (refused, failed).
 *
 * Measured in the benchmark's empty hub (100 devices, one process): 40 connections renewed in
 * the run, PostgreSQL's CPU 2.5 ms a push against 1.3 ms in the same database once no connection
 * was renewed (test/unit/postgres-plan-ages.test.ts, test/integration/hub-plans-renewed.test.ts,
 * test/integration/hub-plans-analyzed.test.ts).
 */
export class PlanAges {
  private readonly planned = new WeakMap<object, { at: number; factor: number }>();
  /** The floor at which this process last had the tables analyzed (its first push's, to begin with). */
  private analyzedAt: number | null = null;
  private analyzing = false;

  constructor(
    private readonly analyze: ((text: string) => Promise<unknown>) | null,
    private readonly draw: () => number = Math.random,
  ) {}

  /**
   * Whether `client`, whose push began at `floor`, has outgrown its plans (and is to be closed);
   * starts the tables' ANALYZE when the hub has doubled since the last.
   */
  outgrown(client: object, floor: number): boolean {
    const planned = this.planned.get(client);
    if (planned === undefined) this.planned.set(client, { at: floor, factor: 2 + this.draw() });
    // Plans made before an ANALYZE were made again after it.
    const since = Math.max(planned?.at ?? floor, this.analyzedAt ?? 0);
    // Not while an ANALYZE runs: it is about to have every connection's plans made again.
    const due = planned !== undefined && !this.analyzing && floor > planned.factor * since + 1_000;
    this.analyzeWhenDoubled(floor);
    return due;
  }

  private analyzeWhenDoubled(floor: number) {
    if (this.analyzedAt === null) this.analyzedAt = floor;
    // Before any connection planned since the last comes due (twice its floor, plus 1,000).
    if (this.analyzing || this.analyze === null || floor <= 1.5 * this.analyzedAt + 1_000) return;
    this.analyzing = true;
    void this.analyze(`ANALYZE ${ANALYZED_TABLES}`)
      .then(() => {
        this.analyzedAt = Math.max(this.analyzedAt ?? 0, floor);
      })
      // A failed ANALYZE (the database going away, a role that does not own the tables) leaves
      // the renewals alone to keep the plans fitted.
      .catch(() => undefined)
      .finally(() => {
        this.analyzing = false;
      });
  }
}
