// The outbox's background loop in the hosts that run for long (desktop app, web host): every
// interval it delivers what is due, so a message queued offline leaves once the server can be
// reached again. The CLI does not run it: `kontor send --retry` is its one round.
import type { Ctx } from '../context';
import { deliverDue } from './outbox';

export interface MailRunnerOptions {
  ctx: () => Ctx;
  /** Runs a round under the store's gate (a restore waits for it, and it for a restore). */
  around: <T>(round: () => Promise<T>) => Promise<T>;
  intervalMs?: number;
  log?: (message: string) => void;
}

export class MailRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly intervalMs: number;

  constructor(private readonly options: MailRunnerOptions) {
    this.intervalMs = options.intervalMs ?? 30_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.round(), this.intervalMs);
    // The loop alone never keeps a CLI or a test process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round now (the machine came back online); a round in flight is not doubled. */
  round(): Promise<unknown> {
    this.running ??= this.options
      .around(() => deliverDue(this.options.ctx()))
      .catch((error: unknown) => this.options.log?.(`mail outbox: ${String(error)}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
