import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import type { RawDb } from '../open';
import { formatHlc } from './hlc';

export interface DeviceIdentity {
  id: string;
  lastHlc: string;
  rotated: null | { previousId: string | null; reason: 'new' | 'moved' | 'restored' };
}

export function bindingFor(file: string): string {
  return crypto
    .createHash('sha256')
    .update(`${os.hostname()}\u0000${path.resolve(file)}`)
    .digest('hex')
    .slice(0, 32);
}

/** A short random id: it ends every HLC timestamp and names the device's invoice series. */
export function newDeviceId(): string {
  return crypto.randomBytes(8).toString('hex');
}

/**
 * Returns this file's device identity, creating one for a new database and rotating it when
 * the file was copied to another machine or path (or restored), so two copies never write
 * under the same id and never reuse one invoice series.
 */
export function ensureDeviceIdentity(
  raw: RawDb,
  file: string,
  now: Date,
  forceReason?: 'restored',
): DeviceIdentity {
  const binding = bindingFor(file);
  const current = raw.prepare('SELECT id, bound_to, last_hlc FROM device WHERE current = 1').get() as
    | { id: string; bound_to: string; last_hlc: string }
    | undefined;
  if (current && current.bound_to === binding && !forceReason) {
    return { id: current.id, lastHlc: current.last_hlc, rotated: null };
  }
  const reason: 'new' | 'moved' | 'restored' = forceReason ?? (current ? 'moved' : 'new');
  const id = newDeviceId();
  // The new identity's clock starts where the old one stopped, so its timestamps still sort
  // after everything this file already holds.
  const lastHlc = current
    ? `${current.last_hlc.split(':').slice(0, 2).join(':')}:${id}`
    : formatHlc({ wallMs: 0, counter: 0, deviceId: id });
  raw.transaction(() => {
    if (current) {
      raw
        .prepare('UPDATE device SET current = 0, retired_at = ?, retired_reason = ? WHERE id = ?')
        .run(now.toISOString(), reason, current.id);
    }
    raw
      .prepare('INSERT INTO device (id, current, created_at, bound_to, last_hlc) VALUES (?, 1, ?, ?, ?)')
      .run(id, now.toISOString(), binding, lastHlc);
  })();
  return { id, lastHlc, rotated: { previousId: current?.id ?? null, reason } };
}

export { uuidv7 };
