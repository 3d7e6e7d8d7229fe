import path from 'node:path';
import { parseArgs } from 'node:util';
import { HubFailure } from '#common/sync/hub-failure';
import { userDataDir } from '#core/app-paths';
import { createAdmin } from '#server/admin';
import { openHubStore, startHub } from '#server/main';
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
      ttl: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const postgresUrl = values.postgres ?? process.env.KONTOR_HUB_DATABASE_URL;
  const where = postgresUrl ? { postgresUrl } : { dataDir: values.data ?? defaultHubDataDir() };
  const [sub, ...rest] = positionals;

  if (sub === 'serve') {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    const hub = await startHub({
      ...where,
      port,
      host: values.host,
      adminToken: values['admin-token'] ?? process.env.KONTOR_HUB_ADMIN_TOKEN ?? null,
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
          const user = await admin.createUser(name);
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
        const code = await admin.createEnrollCode(user!, values.ttl ? Number(values.ttl) : undefined);
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
