import os from 'node:os';
import { parseArgs } from 'node:util';
import type { SyncStatus } from '#core/services/sync.service';
import type { SyncProgress } from '#core/sync/engine';
import type { CliContext } from '../main';
import { callOrThrow, withKontor } from '../open';
import { UsageError } from '../usage';

const USAGE =
  'usage: kontor sync [--hub URL[,URL…] … [--enroll CODE]] [--json] | kontor sync status [--json]';

/**
 * `kontor sync --hub URL [--enroll CODE]`: one full round; `kontor sync status`. `--hub` may
 * be repeated or list several addresses of one hub (hub processes on one database): the
 * device tries them in order and fails over when one cannot be reached.
 */
export async function runSync(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    allowPositionals: true,
    options: {
      hub: { type: 'string', multiple: true },
      enroll: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'status')) {
    throw new UsageError(USAGE);
  }
  return withKontor(ctx, async (kontor) => {
    if (positionals[0] === 'status') {
      const status = await callOrThrow(kontor, ctx, 'sync.status', { locale: ctx.locale });
      if (values.json) ctx.out(JSON.stringify(status, null, 2));
      else printStatus(ctx, status);
      // 3: the status was read and needs attention (2 is for bad arguments only).
      return status.lastError || status.readOnly || status.rejections > 0 ? 3 : 0;
    }
    if (values.hub?.length) {
      await callOrThrow(kontor, ctx, 'sync.configure', {
        hubUrl: values.hub.join(','),
        ...(values.enroll ? { enrollCode: values.enroll, deviceName: `kontor cli on ${os.hostname()}` } : {}),
      });
    } else if (values.enroll) {
      throw new UsageError(USAGE);
    }
    // Progress on stderr while a snapshot comes in; Ctrl-C stops the round where it stands
    // (what was received is kept; the next `kontor sync` continues from there).
    const cancel = () => void kontor.sync.cancel();
    process.once('SIGINT', cancel);
    const shown = showProgress(ctx, () => kontor.sync.progress);
    let round: Awaited<ReturnType<typeof callOrThrow<'sync.now'>>>;
    try {
      round = await callOrThrow(kontor, ctx, 'sync.now', {});
    } finally {
      shown.stop();
      process.off('SIGINT', cancel);
    }
    if (values.json) {
      ctx.out(
        JSON.stringify(
          {
            pushed: round.pushed,
            applied: round.applied,
            superseded: round.superseded,
            duplicate: round.duplicate,
            refused: round.rejected,
            pending: round.status.pending,
            // What waits on the device after the round, not what this round put aside.
            deferred: round.status.deferred,
            purged: round.purged,
            openRefusals: round.status.rejections,
          },
          null,
          2,
        ),
      );
      // Something was refused: the round did its job, but a person must look (exit 1).
      return round.rejected > 0 ? 1 : 0;
    }
    ctx.out(
      `pushed ${round.pushed}, rejected ${round.rejected}, applied ${round.applied}, superseded ${round.superseded}` +
        (round.status.deferred ? `, deferred ${round.status.deferred}` : '') +
        (round.purged ? `, purged ${round.purged}` : ''),
    );
    if (round.status.deferredMessage) ctx.err(round.status.deferredMessage);
    if (round.rejected > 0)
      ctx.err(
        `${round.status.rejections} refused changes: see the Sync page or \`kontor call sync.rejections\``,
      );
    return round.rejected > 0 ? 1 : 0;
  });
}

function printStatus(ctx: CliContext, s: SyncStatus): void {
  ctx.out(`hub:        ${s.hubUrl ?? '(not set)'}${s.enrolled ? '' : ' (not enrolled)'}`);
  ctx.out(`device:     ${s.deviceId}${s.seriesCode ? ` (series ${s.seriesCode})` : ''}`);
  ctx.out(`last sync:  ${s.lastSyncAt ?? 'never'}`);
  ctx.out(`pending:    ${s.pending}`);
  ctx.out(`refused:    ${s.rejections}`);
  ctx.out(`deferred:   ${s.deferred}`);
  if (s.readOnly) ctx.out('read-only:  yes');
  if (s.lastError) ctx.out(`last error: ${s.lastError.message}`);
  if (s.deferredMessage) ctx.out(s.deferredMessage);
}

/**
 * A snapshot's rows done/total and rate on stderr: redrawn in place on a terminal, a line
 * every few seconds otherwise (logs of a long first sync still show it moving).
 */
function showProgress(ctx: CliContext, read: () => SyncProgress | null): { stop(): void } {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  let drawn = false;
  const line = (p: SyncProgress) =>
    p.indexes
      ? `snapshot: ${p.done} rows in, building indexes (step ${p.indexes.done}/${p.indexes.total})`
      : `snapshot: ${p.done}${p.total !== null ? `/${p.total}` : ''} rows (${p.rowsPerSecond} rows/s)`;
  const timer = setInterval(
    () => {
      const p = read();
      if (!p) return;
      if (tty) {
        process.stderr.write(`\r${line(p)}`);
        drawn = true;
      } else if (Date.now() - lastLine >= 5_000) {
        lastLine = Date.now();
        ctx.err(line(p));
      }
    },
    tty ? 200 : 1_000,
  );
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (drawn) process.stderr.write('\n');
    },
  };
}
