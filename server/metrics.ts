// Prometheus text exposition of this process's counters (each hub process reports its own;
// the scraper sums them). No dependency: three metric families are a few lines.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class HubMetrics {
  private requests = new Map<string, number>();
  private changes = new Map<string, number>();
  private refusals = new Map<string, number>();
  private pushBuckets = BUCKETS.map(() => 0);
  private pushCount = 0;
  private pushSum = 0;
  /** Pushes let in right now (http/admission.ts), read when scraped. */
  pushesInFlight: () => number = () => 0;

  request(route: string, status: number): void {
    const k = `route="${route}",status="${status}"`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  change(outcome: string, reason: string | null): void {
    const k = `outcome="${outcome}",reason="${reason ?? ''}"`;
    this.changes.set(k, (this.changes.get(k) ?? 0) + 1);
  }

  /** Every refusal, of a whole request (its error code) or of one change (its reason). */
  refusal(reason: string): void {
    const k = `reason="${reason.replace(/[^a-z0-9_]/gi, '_')}"`;
    this.refusals.set(k, (this.refusals.get(k) ?? 0) + 1);
  }

  push(seconds: number): void {
    this.pushCount++;
    this.pushSum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.pushBuckets[i]!++;
    });
  }

  render(): string {
    const lines = [
      '# HELP kontor_hub_requests_total HTTP requests by route and status.',
      '# TYPE kontor_hub_requests_total counter',
      ...[...this.requests].map(([k, v]) => `kontor_hub_requests_total{${k}} ${v}`),
      '# HELP kontor_hub_changes_total Pushed changes by outcome and rejection reason.',
      '# TYPE kontor_hub_changes_total counter',
      ...[...this.changes].map(([k, v]) => `kontor_hub_changes_total{${k}} ${v}`),
      '# HELP kontor_hub_refusals_total Refused requests (error code) and refused changes (reason).',
      '# TYPE kontor_hub_refusals_total counter',
      ...[...this.refusals].map(([k, v]) => `kontor_hub_refusals_total{${k}} ${v}`),
      '# HELP kontor_hub_push_seconds Time to apply one pushed batch.',
      '# TYPE kontor_hub_push_seconds histogram',
      ...BUCKETS.map((b, i) => `kontor_hub_push_seconds_bucket{le="${b}"} ${this.pushBuckets[i]}`),
      `kontor_hub_push_seconds_bucket{le="+Inf"} ${this.pushCount}`,
      `kontor_hub_push_seconds_sum ${this.pushSum}`,
      `kontor_hub_push_seconds_count ${this.pushCount}`,
      '# HELP kontor_hub_pushes_in_flight Pushes let in and not yet answered (bounded by --max-pushes).',
      '# TYPE kontor_hub_pushes_in_flight gauge',
      `kontor_hub_pushes_in_flight ${this.pushesInFlight()}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
