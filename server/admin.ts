import crypto from 'node:crypto';
import { HubFailure } from '#common/sync/hub-failure';
import type { EnrollResponse } from '#common/sync/protocol';
import { scopeOf, scopeToJson } from './scope';
import type { HubStore } from './store/types';

// Accounts, enrollment and revocation. Secrets (enrollment codes, device tokens) are kept
// only as SHA-256: a copy of the hub's database lets nobody sync as a device.

export const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** An enrollment code lives at most 90 days. */
export const MAX_CODE_TTL_MINUTES = 60 * 24 * 90;

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** Codes are typed by people: case, spaces and dashes do not matter. */
const normalizeCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export interface HubUser {
  id: string;
  name: string;
  /** The firm's staff ('administrator', 'accountant'), or null: a person of the book. */
  firmRole: 'administrator' | 'accountant' | null;
  /** The people row this user is (its memberships and partnerships decide what it may do). */
  personId: string | null;
}

/**
 * Who a new hub user is. Without a person, a user is the firm's own staff (an administrator
 * unless said otherwise): the hub is the firm's. Partners and clients the firm does not
 * control are enrolled as the person they are, and act only as their roles allow.
 */
export interface NewUser {
  firmRole?: 'administrator' | 'accountant' | undefined;
  personId?: string | undefined;
}

export interface HubDevice {
  id: string;
  userId: string;
  name: string | null;
  seriesCode: string;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  scopeJson: string;
}

export function createAdmin(store: HubStore, clock: () => number = Date.now) {
  const iso = () => new Date(clock()).toISOString();

  async function findUser(nameOrId: string): Promise<HubUser> {
    const r = await store.read((sql) =>
      sql.all<{ id: string; name: string; firm_role: string | null; person_id: string | null }>(
        'SELECT id, name, firm_role, person_id FROM hub_users WHERE id = ? OR name = ?',
        [nameOrId, nameOrId],
      ),
    );
    if (!r[0]) throw new HubFailure('user_unknown', 404, `no hub user ${nameOrId}`, { user: nameOrId });
    return toUser(r[0]);
  }

  return {
    findUser,

    async createUser(name: string, who: NewUser = {}): Promise<HubUser> {
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > 200)
        throw new HubFailure('invalid_input', 400, 'a user name is 1–200 characters');
      if (who.personId && who.firmRole)
        throw new HubFailure('invalid_input', 400, 'a user is either firm staff or a person of the book');
      const personId = who.personId?.trim() || null;
      const firmRole = personId ? null : (who.firmRole ?? 'administrator');
      const id = crypto.randomUUID();
      return store.write(async (sql) => {
        const exists = await sql.all('SELECT id FROM hub_users WHERE name = ?', [trimmed]);
        if (exists.length)
          throw new HubFailure('user_exists', 409, `a hub user named ${trimmed} exists`, { name: trimmed });
        await sql.run(
          'INSERT INTO hub_users (id, name, created_at, firm_role, person_id) VALUES (?, ?, ?, ?, ?)',
          [id, trimmed, iso(), firmRole, personId],
        );
        return { id, name: trimmed, firmRole, personId };
      });
    },

    async listUsers(): Promise<(HubUser & { organizationIds: string[] })[]> {
      return store.read(async (sql) => {
        const users = (
          await sql.all<{ id: string; name: string; firm_role: string | null; person_id: string | null }>(
            'SELECT id, name, firm_role, person_id FROM hub_users ORDER BY name',
          )
        ).map(toUser);
        const links = await sql.all<{ user_id: string; organization_id: string }>(
          'SELECT user_id, organization_id FROM hub_user_orgs',
        );
        return users.map((u) => ({
          ...u,
          organizationIds: links
            .filter((l) => l.user_id === u.id)
            .map((l) => l.organization_id)
            .sort(),
        }));
      });
    },

    async link(user: string, organizationId: string): Promise<void> {
      const u = await findUser(user);
      await store.write((sql) =>
        sql.run(
          'INSERT INTO hub_user_orgs (user_id, organization_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, organization_id) DO NOTHING',
          [u.id, organizationId, iso()],
        ),
      );
    },

    async unlink(user: string, organizationId: string): Promise<void> {
      const u = await findUser(user);
      await store.write((sql) =>
        sql.run('DELETE FROM hub_user_orgs WHERE user_id = ? AND organization_id = ?', [
          u.id,
          organizationId,
        ]),
      );
    },

    async createEnrollCode(
      user: string,
      ttlMinutes = 24 * 60,
    ): Promise<{ code: string; userId: string; expiresAt: string }> {
      if (!Number.isSafeInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > MAX_CODE_TTL_MINUTES)
        throw new HubFailure('invalid_input', 400, `a code's validity is 1–${MAX_CODE_TTL_MINUTES} minutes`, {
          ttlMinutes,
        });
      const u = await findUser(user);
      const code = newCode();
      const expiresAt = new Date(clock() + ttlMinutes * 60_000).toISOString();
      await store.write((sql) =>
        sql.run(
          'INSERT INTO hub_enroll_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          [sha256(normalizeCode(code)), u.id, iso(), expiresAt],
        ),
      );
      return { code, userId: u.id, expiresAt };
    },

    async revokeDevice(deviceId: string): Promise<void> {
      const changed = await store.write((sql) =>
        sql.run('UPDATE hub_devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
          iso(),
          deviceId,
        ]),
      );
      if (changed === 0) {
        const known = await store.read((sql) =>
          sql.all('SELECT id FROM hub_devices WHERE id = ?', [deviceId]),
        );
        if (!known.length)
          throw new HubFailure('device_unknown', 404, `no enrolled device ${deviceId}`, { deviceId });
      }
    },

    async listDevices(): Promise<HubDevice[]> {
      return store.read(async (sql) =>
        (await sql.all(`${DEVICE_SELECT} ORDER BY enrolled_at`)).map(toDevice),
      );
    },

    async setNumbering(organizationId: string, numbering: 'device' | 'at_sync'): Promise<void> {
      await store.write((sql) =>
        sql.run(
          'INSERT INTO hub_org_settings (organization_id, numbering) VALUES (?, ?) ON CONFLICT (organization_id) DO UPDATE SET numbering = excluded.numbering',
          [organizationId, numbering],
        ),
      );
    },

    async enroll(input: {
      code: string;
      deviceId: string;
      deviceName?: string | undefined;
    }): Promise<EnrollResponse> {
      const token = crypto.randomBytes(32).toString('base64url');
      return store.write(async (sql) => {
        const found = await sql.all<{ user_id: string; expires_at: string; used_at: string | null }>(
          'SELECT user_id, expires_at, used_at FROM hub_enroll_codes WHERE code_hash = ?',
          [sha256(normalizeCode(input.code))],
        );
        const row = found[0];
        if (!row)
          throw new HubFailure('enroll_code_invalid', 403, 'this enrollment code is not known to the hub');
        if (row.used_at)
          // The user is kept off the answer, for the throttle's per-user count only.
          throw Object.assign(
            new HubFailure('enroll_code_used', 403, 'this enrollment code was already used'),
            {
              userId: row.user_id,
            },
          );
        if (row.expires_at < iso())
          throw Object.assign(
            new HubFailure('enroll_code_expired', 403, 'this enrollment code has expired', {
              expiresAt: row.expires_at,
            }),
            { userId: row.user_id },
          );
        const existing = await sql.all<{ user_id: string; revoked_at: string | null; series_code: string }>(
          'SELECT user_id, revoked_at, series_code FROM hub_devices WHERE id = ?',
          [input.deviceId],
        );
        if (existing[0]?.revoked_at)
          throw new HubFailure(
            'device_revoked',
            403,
            'this device was revoked; it gets a new identity to enroll again',
          );
        if (existing[0] && existing[0].user_id !== row.user_id) {
          throw new HubFailure('device_exists', 409, 'this device is enrolled for another user');
        }
        await sql.run('UPDATE hub_enroll_codes SET used_at = ?, used_by_device = ? WHERE code_hash = ?', [
          iso(),
          input.deviceId,
          sha256(normalizeCode(input.code)),
        ]);
        const scope = scopeToJson(await scopeOf(sql, row.user_id));
        const person = await sql.all<{ person_id: string | null }>(
          'SELECT person_id FROM hub_users WHERE id = ?',
          [row.user_id],
        );
        let seriesCode = existing[0]?.series_code;
        if (seriesCode) {
          await sql.run('UPDATE hub_devices SET token_hash = ?, name = ? WHERE id = ?', [
            sha256(token),
            input.deviceName ?? null,
            input.deviceId,
          ]);
        } else {
          seriesCode = await freeSeriesCode(
            input.deviceId,
            async (c) =>
              (await sql.all('SELECT id FROM hub_devices WHERE series_code = ?', [c])).length === 0,
          );
          await sql.run(
            'INSERT INTO hub_devices (id, user_id, name, token_hash, series_code, enrolled_at, scope_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              input.deviceId,
              row.user_id,
              input.deviceName ?? null,
              sha256(token),
              seriesCode,
              iso(),
              JSON.stringify(scope),
            ],
          );
        }
        return {
          token,
          userId: row.user_id,
          seriesCode,
          organizationIds: scope.member,
          personId: person[0]?.person_id ?? null,
          hubTime: clock(),
        };
      });
    },
  };
}

export type HubAdmin = ReturnType<typeof createAdmin>;

function toUser(r: {
  id: string;
  name: string;
  firm_role: string | null;
  person_id: string | null;
}): HubUser {
  const firmRole = r.firm_role === 'administrator' || r.firm_role === 'accountant' ? r.firm_role : null;
  return { id: r.id, name: r.name, firmRole, personId: r.person_id };
}

/**
 * Six hex digits (the device side derives its QR reference digits from them): the device's
 * own code when free, so numbers issued before enrollment stay in the device's series;
 * another one when two devices' ids share a prefix. 000000 is the hub's own series.
 */
async function freeSeriesCode(deviceId: string, isFree: (code: string) => Promise<boolean>): Promise<string> {
  const own = deviceId.slice(0, 6).toUpperCase();
  if (/^[0-9A-F]{6}$/.test(own) && own !== '000000' && (await isFree(own))) return own;
  for (;;) {
    const code = crypto.randomBytes(3).toString('hex').toUpperCase();
    if (code !== '000000' && (await isFree(code))) return code;
  }
}

export const DEVICE_SELECT =
  'SELECT id, user_id, name, series_code, enrolled_at, revoked_at, last_seen_at, scope_json FROM hub_devices';

export function toDevice(r: Record<string, unknown>): HubDevice {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: String(r.id),
    userId: String(r.user_id),
    name: s(r.name),
    seriesCode: String(r.series_code),
    enrolledAt: String(r.enrolled_at),
    revokedAt: s(r.revoked_at),
    lastSeenAt: s(r.last_seen_at),
    scopeJson: String(r.scope_json),
  };
}

export async function deviceByTokenHash(store: HubStore, tokenHash: string): Promise<HubDevice | null> {
  // Every request's first read (a push's only when its process has not seen the token yet,
  // server/http/device-auth.ts): planned once per connection (a unique key).
  const r = await store.read((sql) =>
    sql.all(`${DEVICE_SELECT} WHERE token_hash = ?`, [tokenHash], { keyLookup: true }),
  );
  return r[0] ? toDevice(r[0]) : null;
}
