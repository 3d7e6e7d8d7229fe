import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type {
  ChecksumResponse,
  EnrollResponse,
  PullResponse,
  PushResponse,
  SnapshotResponse,
  WireChange,
} from '#common/sync/protocol';
import { formatHlc } from '#db/sync/hlc';
import { type RunningHub, startHub } from '#server/main';

export type HubEngine = 'sqlite' | 'postgres';
export const ADMIN_TOKEN = 'test-admin-token';
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/**
 * The PostgreSQL server the hub's tests use: KONTOR_TEST_POSTGRES_URL (CI's, started by
 * .ci/run). In CI its absence is a failure, never a skip; elsewhere a local throw-away
 * cluster is started once (scripts/postgres-for-tests.sh) and reused.
 */
export function postgresServerUrl(): string {
  const fromEnv = process.env.KONTOR_TEST_POSTGRES_URL;
  if (fromEnv) return fromEnv;
  if (process.env.CI === 'true')
    throw new Error('KONTOR_TEST_POSTGRES_URL is not set: the hub tests need PostgreSQL in CI');
  const out = execFileSync(path.join(repoRoot, 'scripts', 'postgres-for-tests.sh'), {
    env: { ...process.env, KONTOR_PG_DIR: path.join(os.tmpdir(), 'kontor-pg-tests') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = out.trim().split('\n').pop() ?? '';
  process.env.KONTOR_TEST_POSTGRES_URL = url;
  return url;
}

/** A new, empty database on the test server: test files run in parallel without sharing one. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = postgresServerUrl();
  const name = `kontor_hub_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Where a hub of this engine keeps its data: a temp folder, or a fresh PostgreSQL database. */
export async function hubPlace(
  engine: HubEngine,
): Promise<{ dataDir?: string; postgresUrl?: string; cleanup(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-hub-'));
    return { dataDir, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const db = await freshPostgresDatabase();
  return { postgresUrl: db.url, cleanup: () => db.drop() };
}

/**
 * A hub on a fresh PostgreSQL database for one test file's tests, and a client of the test's
 * own on that database (to read what the hub's connections plan and do): started before the
 * file's tests, closed after them. Read `hub` and `db` inside the tests.
 */
export function usePostgresHubWithClient(): { readonly hub: RunningHub; readonly db: pg.Client } {
  let place: Awaited<ReturnType<typeof hubPlace>> | undefined;
  let hub: RunningHub | undefined;
  let db: pg.Client | undefined;
  beforeAll(async () => {
    place = await hubPlace('postgres');
    hub = await startHub({ ...place, adminToken: ADMIN_TOKEN, log: false });
    db = new pg.Client({ connectionString: place.postgresUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await hub?.close();
    await place?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('usePostgresHubWithClient: read it inside a test');
    return value;
  };
  return {
    get hub() {
      return started(hub);
    },
    get db() {
      return started(db);
    },
  };
}

export interface TestHub extends RunningHub {
  /** Moves the hub's clock (ms added to the real one). */
  skew: { ms: number };
  cleanup(): Promise<void>;
}

export async function startTestHub(
  engine: HubEngine,
  options: { schemaVersion?: number; retentionDays?: number } = {},
): Promise<TestHub> {
  const place = await hubPlace(engine);
  const skew = { ms: 0 };
  const hub = await startHub({
    ...options,
    ...place,
    adminToken: ADMIN_TOKEN,
    clock: () => Date.now() + skew.ms,
    log: false,
  });
  return {
    ...hub,
    skew,
    async cleanup() {
      await hub.close();
      await place.cleanup();
    },
  };
}

export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    /** The hub's envelope: the same { code, message, params } as every Kontor door. */
    readonly body: { code: string; message: string; params: Record<string, unknown>; hubTime?: number },
  ) {
    super(`${status} ${body.code}: ${body.message}`);
  }
}

async function call<T>(url: string, init: RequestInit & { token?: string }): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new HubHttpError(res.status, body);
  return body as T;
}

export function adminApi(hubUrl: string, token = ADMIN_TOKEN) {
  const post = <T>(p: string, body: unknown) =>
    call<T>(`${hubUrl}${p}`, { method: 'POST', body: JSON.stringify(body), token });
  return {
    createUser: (
      name: string,
      who: { firmRole?: 'administrator' | 'accountant'; personId?: string } = {},
    ) => post<{ id: string; name: string }>('/v1/admin/users', { name, ...who }),
    link: (user: string, organizationId: string) => post('/v1/admin/links', { user, organizationId }),
    unlink: (user: string, organizationId: string) => post('/v1/admin/unlinks', { user, organizationId }),
    enrollCode: (user: string, ttlMinutes?: number) =>
      post<{ code: string; expiresAt: string }>('/v1/admin/enroll-codes', { user, ttlMinutes }),
    revoke: (deviceId: string) => post(`/v1/admin/devices/${deviceId}/revoke`, {}),
    numbering: (organizationId: string, numbering: 'device' | 'at_sync') =>
      post(`/v1/admin/organizations/${organizationId}/numbering`, { numbering }),
  };
}

/** A device as the hub sees it: an id, a token, a clock, and the protocol's calls. */
export class TestDevice {
  readonly id = crypto.randomBytes(8).toString('hex');
  token = '';
  seriesCode = '';
  private counter = 0;
  private lastWall = 0;

  constructor(public hubUrl: string) {}

  async enroll(code: string): Promise<EnrollResponse> {
    const r = await call<EnrollResponse>(`${this.hubUrl}/v1/enroll`, {
      method: 'POST',
      body: JSON.stringify({ code, deviceId: this.id, deviceName: 'test device' }),
    });
    this.token = r.token;
    this.seriesCode = r.seriesCode;
    return r;
  }

  /** A fresh HLC of this device, optionally at a chosen wall time. */
  hlc(wallMs = Date.now()): string {
    if (wallMs > this.lastWall) {
      this.lastWall = wallMs;
      this.counter = 0;
    } else this.counter++;
    return formatHlc({ wallMs: this.lastWall, counter: this.counter, deviceId: this.id });
  }

  /** A row's creation: every column in one HLC, as the device's write path logs it. */
  row(table: string, rowId: string, columns: Record<string, unknown>, hlc = this.hlc()): WireChange[] {
    return Object.entries(columns).map(([column, v]) => ({
      table,
      rowId,
      column,
      value: v === null ? null : JSON.stringify(v),
      hlc,
    }));
  }

  money(
    table: 'payments' | 'ledger_entries',
    rowId: string,
    row: Record<string, unknown>,
    hlc = this.hlc(),
  ): WireChange {
    return { table, rowId, column: '*', value: JSON.stringify({ id: rowId, hlc, ...row }), hlc };
  }

  push(changes: WireChange[], batchId: string = crypto.randomUUID(), schemaVersion = 1): Promise<PushResponse> {
    return call(`${this.hubUrl}/v1/sync/push`, {
      method: 'POST',
      token: this.token,
      body: JSON.stringify({ deviceId: this.id, batchId, schemaVersion, changes }),
    });
  }

  pull(since: number, limit = 1000): Promise<PullResponse> {
    return call(`${this.hubUrl}/v1/sync/pull?since=${since}&limit=${limit}`, {
      method: 'GET',
      token: this.token,
    });
  }

  /** Every page from `since` to the head. */
  async pullAll(
    since = 0,
    limit = 1000,
  ): Promise<{ changes: PullResponse['changes']; cursor: number; scopeChanged: boolean }> {
    const changes: PullResponse['changes'] = [];
    let cursor = since;
    for (;;) {
      const r = await this.pull(cursor, limit);
      if (r.scopeChanged) return { changes, cursor, scopeChanged: true };
      changes.push(...r.changes);
      cursor = r.cursor;
      if (!r.hasMore) return { changes, cursor, scopeChanged: false };
    }
  }

  snapshotPage(after: string | null, limit = 500): Promise<SnapshotResponse> {
    const q = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) });
    return call(`${this.hubUrl}/v1/sync/snapshot?${q}`, { method: 'GET', token: this.token });
  }

  async snapshot(limit = 500): Promise<{ rows: SnapshotResponse['rows']; asOf: number }> {
    const rows: SnapshotResponse['rows'] = [];
    let after: string | null = null;
    let asOf = 0;
    do {
      const page: SnapshotResponse = await this.snapshotPage(after, limit);
      rows.push(...page.rows);
      asOf = page.asOf;
      after = page.next;
    } while (after);
    return { rows, asOf };
  }

  checksum(upTo?: number): Promise<ChecksumResponse> {
    return call(`${this.hubUrl}/v1/sync/checksum${upTo === undefined ? '' : `?upTo=${upTo}`}`, {
      method: 'GET',
      token: this.token,
    });
  }
}

/** Enrolls a new device for a user (created when missing) linked to these organizations. */
export async function enrolledDevice(
  hubUrl: string,
  user: string,
  organizationIds: string[] = [],
): Promise<TestDevice> {
  const admin = adminApi(hubUrl);
  await admin.createUser(user).catch((e: unknown) => {
    if (!(e instanceof HubHttpError && e.body.code === 'user_exists')) throw e;
  });
  for (const org of organizationIds) await admin.link(user, org);
  const { code } = await admin.enrollCode(user);
  const device = new TestDevice(hubUrl);
  await device.enroll(code);
  return device;
}
