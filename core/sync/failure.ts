import type { HubFailure } from './hub-client';

// What the device's status keeps of a failed round: a Kontor error code (translated by the
// screens and the CLI) and its parameters, from the hub's failure.

/** The failure as the status keeps it: a Kontor error code and its parameters. */
export function describeFailure(
  failure: HubFailure,
  nowMs: number,
): { code: string; params: Record<string, unknown> } {
  switch (failure.code) {
    case 'hub_unreachable':
      return { code: 'sync_hub_unreachable', params: { url: failure.params.url ?? '' } };
    case 'unauthorized':
      return { code: 'sync_unauthorized', params: {} };
    case 'device_revoked':
      return { code: 'device_revoked', params: {} };
    case 'clock_ahead': {
      if (typeof failure.params.aheadMs === 'number') {
        return {
          code: 'sync_clock_ahead',
          params: { minutes: Math.max(1, Math.round(failure.params.aheadMs / 60_000)) },
        };
      }
      const hubTime =
        failure.hubTime ?? (typeof failure.params.hubTime === 'number' ? failure.params.hubTime : nowMs);
      return {
        code: 'sync_clock_ahead',
        params: { minutes: Math.max(1, Math.round((nowMs - hubTime) / 60_000)) },
      };
    }
    case 'schema_newer':
      return { code: 'sync_schema_newer', params: {} };
    case 'hub_busy':
    case 'push_in_flight':
      return {
        code: 'sync_hub_busy',
        params: { seconds: Math.max(1, Math.ceil((failure.retryAfterMs ?? 1_000) / 1000)) },
      };
    case 'sync_cancelled':
    case 'sync_not_configured':
    case 'sync_device_changed':
      return { code: failure.code, params: {} };
    default:
      return { code: 'sync_failed', params: { reason: `${failure.code}: ${failure.message}`.slice(0, 300) } };
  }
}
