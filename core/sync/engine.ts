import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PullResponse } from '#common/sync/protocol';
import { Applier, type ApplyStats } from '#db/sync/apply';
import { compactBacklogStep } from '#db/sync/compact';
import { readOutbox } from '#db/sync/outbox';
import { restampFuture } from '#db/sync/restamp';
import { settleDuplicateRenewals } from '../services/billing/duplicates';
import type { Ctx, SyncRoundSummary } from '../services/context';
import { checkEpoch, rewind } from './epoch-check';
import { describeFailure } from './failure';
import { HubClient, HubFailure } from './hub-client';
import { asksToWait, honouringRetryAfter } from './retry-after';
import { type SnapshotProgress, takeSnapshot } from './snapshot-round';
import { isEnrolled, readSyncState, writeSyncState } from './state';

// The status's words for a failure live beside the failure kinds (./failure.ts).
export { describeFailure } from './failure';

// Background sync, plain Node (no Electron): push the outbox, take a snapshot when the device
// has none or its scope changed, pull until the hub has no more. Each page is one short
// transaction with a turn of the event loop between pages, so the UI never waits on sync.
// Network failures back off exponentially with jitter; the cursor and the outbox live in
// the database, so a round cut anywhere resumes where it stopped.

export interface SyncEngineOptions {
  ctx: () => Ctx;
  fetch?: typeof fetch;
  pushBatchSize?: number;
  pullLimit?: number;
  snapshotLimit?: number;
  /** Between rounds while all is well. */
  intervalMs?: number;
  /** Cap of the back-off after failures. */
  maxBackoffMs?: number;
  /** Longest Retry-After of a busy hub waited out within a round (retry-after.ts). */
  maxRetryAfterMs?: number;
  random?: () => number;
  log?: (line: string) => void;
  /** After every round, successful or not: screens refresh their status and data. */
  onRound?: (result: RoundResult | null, error: HubFailure | null) => void;
  /** While a round runs: what it is doing, rows done/total and rate (null once it ends). */
  onProgress?: (progress: SyncProgress | null) => void;
  /**
   * Runs a round under the store's gate (core/api/gate.ts): a restore waits for a round in
   * flight and no round starts while the store is being swapped.
   */
  around?: <T>(round: () => Promise<T>) => Promise<T>;
}

export interface SyncProgress extends SnapshotProgress {
  phase: 'snapshot';
}

/** One round's counts: what the host contract (../services/context.ts) says syncNow answers. */
export type RoundResult = SyncRoundSummary;

export class SyncEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RoundResult> | null = null;
  private failures = 0;
  private stopped = true;
  private readonly interval: number;
  private readonly maxBackoff: number;
  private abort: AbortController | null = null;
  private current: SyncProgress | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    this.interval = options.intervalMs ?? 30_000;
    this.maxBackoff = options.maxBackoffMs ?? 5 * 60_000;
  }

  /** Ticks in the background: a round now, then every interval (or after a back-off). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** What the round in flight is doing (null between rounds): rows done/total and rate. */
  get progress(): SyncProgress | null {
    return this.current;
  }

  /**
   * Stops the round in flight at its next step (a snapshot: after the transaction in hand,
   * its position kept; the next round resumes there). True when a round was running.
   */
  cancel(): boolean {
    if (!this.running || !this.abort) return false;
    this.abort.abort();
    return true;
  }

  private setProgress(p: SyncProgress | null): void {
    this.current = p;
    this.options.onProgress?.(p);
  }

  /** On demand (the Sync page's button, the CLI): one full round, sharing one in progress. */
  async syncNow(): Promise<RoundResult> {
    const result = await this.round();
    if (!this.stopped) this.schedule(this.interval);
    return result;
  }

  /** The delay before the next attempt after `failures` failures in a row. */
  backoffDelay(failures: number): number {
    const random = this.options.random ?? Math.random;
    const base = Math.min(this.maxBackoff, 1_000 * 2 ** Math.min(failures, 20));
    return Math.round(base / 2 + (base / 2) * random());
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    // Never what keeps a CLI process or a test alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const ctx = this.options.ctx();
    const state = readSyncState(ctx.raw);
    if (!isEnrolled(state, ctx.deviceId) || state.readOnly) {
      this.schedule(this.interval);
      return;
    }
    try {
      await this.round();
      this.schedule(this.interval);
    } catch (error) {
      const failure = error instanceof HubFailure ? error : null;
      if (failure?.transient) {
        this.failures++;
        // Never sooner than the hub asked (Retry-After), never later than the back-off cap.
        const asked = asksToWait(failure) ? Math.min(failure.retryAfterMs, this.maxBackoff) : 0;
        this.schedule(Math.max(asked, this.backoffDelay(this.failures)));
      } else {
        this.schedule(this.interval);
      }
    }
  }

  private round(): Promise<RoundResult> {
    if (!this.running) {
      const around = this.options.around ?? ((round) => round());
      this.abort = new AbortController();
      this.running = around(() => this.runRound()).finally(() => {
        this.running = null;
        this.abort = null;
        this.setProgress(null);
      });
    }
    return this.running;
  }

  private async runRound(): Promise<RoundResult> {
    const ctx = this.options.ctx();
    const raw = ctx.raw;
    const state = readSyncState(raw);
    const now = () => ctx.clock.now().toISOString();
    if (!isEnrolled(state, ctx.deviceId)) {
      throw new HubFailure(state.hubUrl ? 'sync_device_changed' : 'sync_not_configured', 0, 'not enrolled');
    }
    if (state.readOnly) throw new HubFailure('device_revoked', 403, 'device revoked');
    writeSyncState(raw, { lastAttemptAt: now() });
    const client = new HubClient({
      url: state.hubUrl as string,
      token: state.token,
      fetch: this.options.fetch,
    });
    const applier = new Applier(raw);
    const result: RoundResult = {
      pushed: 0,
      rejected: 0,
      applied: 0,
      superseded: 0,
      duplicate: 0,
      deferred: 0,
      snapshotRows: 0,
      purged: 0,
      rewound: 0,
    };
    const add = (s: ApplyStats) => {
      result.applied += s.applied;
      result.superseded += s.superseded;
      result.duplicate += s.duplicate;
      result.deferred += s.deferred;
    };
    try {
      result.rewound += await checkEpoch(ctx.raw, client);
      await this.push(ctx, client, applier, result);
      await this.compactBacklog(raw);
      await this.pull(ctx, client, applier, result, add);
      // Deferred changes a newer version of this app now understands go in after an upgrade.
      add(applier.retryDeferred(now()));
      this.mergeClock(ctx, applier);
      this.settleRenewals(ctx);
      // Changes written while pulling (the user kept working) go out in the same round.
      await this.push(ctx, client, applier, result);
      writeSyncState(raw, { lastSyncAt: now(), lastError: null });
      this.failures = 0;
      this.options.onRound?.(result, null);
      return result;
    } catch (error) {
      this.mergeClock(ctx, applier);
      const failure =
        error instanceof HubFailure
          ? error
          : new HubFailure('sync_failed', 0, error instanceof Error ? error.message : String(error));
      this.options.log?.(`[sync] ${failure.code}: ${failure.message}`);
      writeSyncState(raw, { lastError: describeFailure(failure, ctx.clock.now().getTime()) });
      if (failure.code === 'device_revoked') writeSyncState(raw, { readOnly: true });
      this.options.onRound?.(null, failure);
      throw failure;
    }
  }

  /**
   * A log kept from before compaction existed is compacted once, a short transaction at a
   * time (db/sync/compact.ts); after that pass this costs one settings read per round.
   */
  private async compactBacklog(raw: Ctx['raw']): Promise<void> {
    let dropped = 0;
    for (let step = compactBacklogStep(raw); step !== null; step = compactBacklogStep(raw)) {
      dropped += step;
      await yieldToLoop();
      if (this.abort?.signal.aborted) throw new HubFailure('sync_cancelled', 0, 'cancelled');
    }
    if (dropped > 0) this.options.log?.(`[sync] old change log compacted: ${dropped} entries dropped`);
  }

  /**
   * A renewal period two devices billed offline, now both here: settled the same way on every
   * device (core/services/billing/duplicates.ts) and sent in this same round. A problem there
   * is logged, never a failed round: the next round or billing run settles it again.
   */
  private settleRenewals(ctx: Ctx): void {
    try {
      settleDuplicateRenewals(ctx);
    } catch (error) {
      this.options.log?.(
        `[sync] renewals not settled: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async push(ctx: Ctx, client: HubClient, applier: Applier, result: RoundResult): Promise<void> {
    const schemaVersion = ctx.raw.pragma('user_version', { simple: true }) as number;
    const limit = this.options.pushBatchSize ?? 1_000;
    for (;;) {
      // Unsent changes a wrong wall clock stamped in the future would block every batch.
      restampFuture(ctx.raw, ctx.hlc, ctx.deviceId, ctx.clock.now().getTime());
      const batch = readOutbox(ctx.raw, { deviceId: ctx.deviceId, schemaVersion, limit });
      if (!batch) return;
      const answer = await honouringRetryAfter(() => client.push(batch.request), {
        maxWaitMs: this.options.maxRetryAfterMs ?? 30_000,
        attempts: 6,
        random: this.options.random ?? Math.random,
        signal: this.abort?.signal,
      });
      if (answer.results.length !== batch.seqs.length) {
        throw new HubFailure('hub_bad_answer', 200, 'push answered a different number of changes');
      }
      const stats = applier.acknowledge(
        batch.request.changes,
        batch.seqs,
        answer.results,
        ctx.clock.now().toISOString(),
      );
      result.pushed += stats.acknowledged;
      result.rejected += stats.rejected;
      result.superseded += stats.superseded;
      await yieldToLoop();
    }
  }

  private async pull(
    ctx: Ctx,
    client: HubClient,
    applier: Applier,
    result: RoundResult,
    add: (s: ApplyStats) => void,
  ): Promise<void> {
    const raw = ctx.raw;
    const limit = this.options.pullLimit ?? 2_000;
    const head = await client.head();
    if (head < readSyncState(raw).cursor) {
      // The hub's log went backwards (restored from an older backup): what it no longer has
      // of ours goes back in the outbox, and we read again from where it now stands.
      result.rewound += rewind(raw, head);
      await this.push(ctx, client, applier, result);
    }
    // The next page, asked for before this one is applied: the hub reads it while this device
    // writes (pages chain by cursor, so they are the same pages in the same order). A round that
    // fails while applying drops it unread.
    let ahead: { cursor: number; page: Promise<PullResponse> } | null = null;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const state = readSyncState(raw);
      if (state.needsSnapshot) {
        ahead = null;
        await this.snapshot(ctx, client, applier, result, add);
        continue;
      }
      const page: PullResponse = await (ahead?.cursor === state.cursor ? ahead.page : client.pull(state.cursor, limit));
      ahead = null;
      if (page.hasMore && page.changes.length > 0 && !page.scopeChanged) {
        ahead = { cursor: page.cursor, page: client.pull(page.cursor, limit) };
        // Awaited next turn; until then (or if this round fails first) a failure is not unhandled.
        ahead.page.catch(() => undefined);
      }
      if (page.scopeChanged) {
        // What this device may see changed: rebuild from a snapshot, drop what it lost.
        writeSyncState(raw, {
          needsSnapshot: true,
          purgeAfterSnapshot: true,
          snapshotNext: null,
          snapshotAsOf: null,
        });
        continue;
      }
      const stamp = ctx.clock.now().toISOString();
      raw.transaction(() => {
        add(applier.applyPage(page.changes, stamp));
        writeSyncState(raw, { cursor: page.cursor });
      })();
      if (!page.hasMore || page.changes.length === 0) return;
      await yieldToLoop();
    }
  }

  private async snapshot(
    ctx: Ctx,
    client: HubClient,
    applier: Applier,
    result: RoundResult,
    add: (s: ApplyStats) => void,
  ): Promise<void> {
    await takeSnapshot({
      raw: ctx.raw,
      client,
      applier,
      now: () => ctx.clock.now().toISOString(),
      add,
      onRows: (n) => {
        result.snapshotRows += n;
      },
      onPurged: (n) => {
        result.purged += n;
      },
      progress: (p) => this.setProgress({ phase: 'snapshot', ...p }),
      signal: this.abort?.signal,
      log: this.options.log,
      pageRows: this.options.snapshotLimit,
    });
  }

  /** Later local writes must sort after every change received. */
  private mergeClock(ctx: Ctx, applier: Applier): void {
    const newest = applier.newestRemoteHlc;
    if (!newest) return;
    const carried = `${newest.split(':').slice(0, 2).join(':')}:${ctx.deviceId}`;
    ctx.hlc.observeOwn(carried);
    ctx.raw
      .prepare('UPDATE device SET last_hlc = ? WHERE id = ? AND last_hlc < ?')
      .run(carried, ctx.deviceId, carried);
  }
}
