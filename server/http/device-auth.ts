import type { IncomingMessage } from 'node:http';
import { HubFailure } from '#common/sync/hub-failure';
import { deviceByTokenHash, type HubDevice, sha256 } from '../admin';
import type { HubStore } from '../store/types';

/** The request's bearer token, if any. */
export function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/** The hash the hub stores for the request's device token (null without a token). */
export function tokenHashOf(req: IncomingMessage): string | null {
  const token = bearer(req);
  return token ? sha256(token) : null;
}

/** The device of a token, looked up: 401 for an unknown or missing token, 403 for a revoked device. */
export async function authDevice(store: HubStore, tokenHash: string | null): Promise<HubDevice> {
  const device = tokenHash ? await deviceByTokenHash(store, tokenHash) : null;
  if (!device)
    throw new HubFailure(
      'unauthorized',
      401,
      'this device is not enrolled with the hub (unknown or missing token)',
    );
  if (device.revokedAt) {
    throw new HubFailure(
      'device_revoked',
      403,
      'the hub administrator revoked this device: it keeps its data read-only and no longer syncs',
      {
        revokedAt: device.revokedAt,
      },
    );
  }
  return device;
}

/** What a push needs of its device: facts a device's row never changes once enrolled. */
export type PushDevice = Pick<HubDevice, 'id' | 'userId' | 'seriesCode'>;

/**
 * Devices this hub process has seen, by token hash, so a push need not look its token up in a
 * round trip of its own before its opening (HUB.md "Round trips of a push"). Only what never
 * changes for an enrolled device is kept — its id, its user, its series code (enrolling again
 * keeps the three and replaces the token) — never whether the token is still good: every push
 * locks the device's row only where it still holds that token and is not revoked (its opening,
 * server/store/postgres-positions.ts; SQLite's first statement), and a push refused there, or by
 * any rule before it, is answered as the token's own lookup answers (401, 403 first). So the
 * process stays stateless in what it decides: a device revoked or enrolled again through another
 * process is refused by its next push, as before. Bounded: the oldest entry goes first.
 */
export class KnownDevices {
  private readonly byToken = new Map<string, PushDevice>();

  constructor(readonly max = 10_000) {}

  get(tokenHash: string | null): PushDevice | undefined {
    return tokenHash === null ? undefined : this.byToken.get(tokenHash);
  }

  remember(tokenHash: string, device: PushDevice): void {
    this.byToken.delete(tokenHash);
    if (this.byToken.size >= this.max) this.byToken.delete(this.byToken.keys().next().value!);
    this.byToken.set(tokenHash, { id: device.id, userId: device.userId, seriesCode: device.seriesCode });
  }

  forget(tokenHash: string): void {
    this.byToken.delete(tokenHash);
  }
}
