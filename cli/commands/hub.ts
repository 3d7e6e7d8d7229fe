import path from 'node:path';
import { parseArgs } from 'node:util';
import { HubFailure } from '#common/sync/hub-failure';
import { userDataDir } from '#core/app-paths';
import fs from 'node:fs';
import { createAdmin, MAX_CODE_TTL_MINUTES } from '#server/admin';
import { parseMaxPushes } from '#server/http/admission';
import { openHubStore, startHub } from '#server/main';
import { compactHub, DAY_MS, DEFAULT_RETENTION_DAYS, parseRetentionDays } from '#server/sync/compact';
import type { CliContext } from '../main';
import { UsageError } from '../usage';

/** The hub's default data folder: beside the desktop app's own, per user. */
export function defaultHubDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KONTOR_HUB_DATA ? path.resolve(env.KONTOR_HUB_DATA) : path.join(userDataDir(env), 'hub');
}

export async function runHub(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: ctx.args,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      postgres: { type: 'string' },
      'admin-token': { type: 'string' },
      'admin-token-file': { type: 'string' },
      'max-pushes': { type: 'string' },
      'retention-days': { type: 'string' },
      ttl: { type: 'string' },
      firm: { type: 'string' },
      person: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const postgresUrl = values.postgres ?? process.env.KONTOR_HUB_DATABASE_URL;
  const where = postgresUrl ? { postgresUrl } : { dataDir: values.data ?? defaultHubDataDir() };
  const [sub, ...rest] = positionals;
  const rawRetention = values['retention-days'] ?? process.env.KONTOR_HUB_RETENTION_DAYS;
  const retentionDays = rawRetention === undefined ? undefined : parseRetentionDays(rawRetention);
  if (retentionDays === null)
    throw new UsageError('--retention-days ($KONTOR_HUB_RETENTION_DAYS) must be a whole number of days ≥ 0');

  if (sub === 'serve') {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    // A token on the command line is visible to every user of the machine (ps): refused.
    if (values['admin-token'] !== undefined)
      throw new UsageError(
        '--admin-token shows the token in the process list: use $KONTOR_HUB_ADMIN_TOKEN or --admin-token-file FILE',
      );
    const rawMax = values['max-pushes'] ?? process.env.KONTOR_HUB_MAX_PUSHES;
    const maxPushes = rawMax === undefined ? undefined : parseMaxPushes(rawMax);
    if (maxPushes === null)
      throw new UsageError('--max-pushes ($KONTOR_HUB_MAX_PUSHES) must be a whole number ≥ 1');
    const hub = await startHub({
      ...where,
      port,
      maxPushes,
      retentionDays,
      host: values.host,
      adminToken: adminTokenFrom(values['admin-token-file'], process.env),
    });
    ctx.out(hub.url);
    const stop = async () => {
      await hub.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  }

  const store = await openHubStore(where);
  const admin = createAdmin(store);
  try {
    const need = (n: number, usage: string) => {
      if (rest.length !== n) throw new UsageError(`usage: kontor hub ${usage}`);
      return rest as string[];
    };
    switch (sub) {
      case 'user': {
        const [action, name] = rest;
        if (action === 'add' && name) {
          const firm = values.firm;
          if (firm !== undefined && firm !== 'administrator' && firm !== 'accountant')
            throw new UsageError('--firm is administrator or accountant');
          const user = await admin.createUser(name, { firmRole: firm, personId: values.person });
          ctx.out(values.json ? JSON.stringify(user) : `${user.id}\t${user.name}`);
        } else if (action === 'list') {
          for (const u of await admin.listUsers())
            ctx.out(values.json ? JSON.stringify(u) : `${u.id}\t${u.name}\t${u.organizationIds.join(',')}`);
        } else throw new UsageError('usage: kontor hub user add NAME | user list');
        return 0;
      }
      case 'link':
      case 'unlink': {
        const [user, org] = need(2, `${sub} USER ORGANIZATION_ID`);
        await (sub === 'link' ? admin.link(user!, org!) : admin.unlink(user!, org!));
        return 0;
      }
      case 'enroll-code': {
        const [user] = need(1, 'enroll-code USER [--ttl MINUTES]');
        const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
        if (ttl !== undefined && (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_CODE_TTL_MINUTES))
          throw new UsageError(`--ttl is a whole number of minutes, 1–${MAX_CODE_TTL_MINUTES}`);
        const code = await admin.createEnrollCode(user!, ttl);
        ctx.out(values.json ? JSON.stringify(code) : `${code.code}\t(valid until ${code.expiresAt})`);
        return 0;
      }
      case 'revoke': {
        const [device] = need(1, 'revoke DEVICE_ID');
        await admin.revokeDevice(device!);
        return 0;
      }
      case 'devices': {
        for (const { scopeJson: _, ...d } of await admin.listDevices()) {
          ctx.out(
            values.json
              ? JSON.stringify(d)
              : `${d.id}\t${d.userId}\t${d.seriesCode}\t${d.revokedAt ? `revoked ${d.revokedAt}` : 'active'}`,
          );
        }
        return 0;
      }
      case 'compact': {
        // What a running hub does hourly, now (a hub serving the same store may run beside it).
        const days = retentionDays ?? DEFAULT_RETENTION_DAYS;
        const r = await compactHub(store, Date.now(), days * DAY_MS);
        ctx.out(
          values.json
            ? JSON.stringify(r)
            : `history through ${r.compactedThrough} folded: ${r.logRowsDropped} log rows, ${r.batchesDropped} batch answers dropped`,
        );
        return 0;
      }
      case 'numbering': {
        const [org, mode] = need(2, 'numbering ORGANIZATION_ID device|at_sync');
        if (mode !== 'device' && mode !== 'at_sync') throw new UsageError('numbering is device or at_sync');
        await admin.setNumbering(org!, mode);
        return 0;
      }
      default:
        throw new UsageError(`unknown hub command: ${sub ?? ''}`);
    }
  } catch (error) {
    if (error instanceof HubFailure) {
      ctx.err(`kontor hub: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** The admin token: from a file (first line) or $KONTOR_HUB_ADMIN_TOKEN, never from argv. */
export function adminTokenFrom(file: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (file) {
    const token = fs.readFileSync(file, 'utf8').split(/\r?\n/)[0]?.trim() ?? '';
    if (token.length < 16)
      throw new UsageError('the admin token file must hold a token of at least 16 characters');
    return token;
  }
  return env.KONTOR_HUB_ADMIN_TOKEN || null;
}
