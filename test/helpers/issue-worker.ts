// A second (or third) Kontor process issuing invoices on the same file as another one, as the
// CLI beside the desktop app would. It creates N drafts for a payer, then issues them one by
// one through the router, and prints each number it got.
//
// Usage: node bin/tsx.js test/helpers/issue-worker.ts DBFILE N [--payer=ID] [--issuer=ID] [--now=ISO] [--wait]
//   DBFILE  a Kontor file that already has a provider (settings.setProvider) and a payer with
//           a billing address
//   --payer the payer organization (default: the first organization that is not the provider)
//   --issuer the issuing organization (default: the provider chosen in settings)
//   --now   the instant its clock is fixed at (default 2026-03-15T09:30:00.000Z)
//   --wait  after creating the drafts, print `ready` and wait for a line on stdin before
//           issuing, so a test can start two workers and let them issue at the same moment
// Protocol on stdout, one line each:
//   ready <n drafts>
//   issued <number>
//   done <count>
// Any failure goes to stderr and the exit code is 1.
//
// It imports only core/kontor (never test/helpers/kontor.ts, which needs vitest).
import { openKontor } from '#core/kontor';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const [dbFile, countArg] = positional;
const count = Number(countArg);
if (!dbFile || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: issue-worker DBFILE N [--payer=ID] [--now=ISO] [--wait]\n');
  process.exit(2);
}
const nowMs = Date.parse(flag('now') ?? '2026-03-15T09:30:00.000Z');
const kontor = openKontor({ dbFile, clock: { now: () => new Date(nowMs) }, log: () => {} });

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await kontor.router.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.setEncoding('utf8');
    const go = () => {
      // Let the process end once it is done: an open stdin would keep it alive.
      process.stdin.destroy();
      resolve();
    };
    process.stdin.once('data', go);
    process.stdin.once('end', go);
  });
}

try {
  const settings = await call<{ providerOrganizationId: string | null }>('settings.get', {});
  let payerId = flag('payer');
  if (!payerId) {
    const orgs = await call<{ id: string }[]>('organizations.list', {});
    payerId = orgs.find((o) => o.id !== settings.providerOrganizationId)?.id;
  }
  if (!payerId) throw new Error('no payer organization in the file');
  const drafts: string[] = [];
  for (let i = 0; i < count; i++) {
    const draft = await call<{ id: string }>('invoices.create', {
      organizationId: payerId,
      issuerOrganizationId: flag('issuer'),
      lines: [
        {
          description: `Hébergement ${process.pid}/${i + 1}`,
          quantityMilli: 1000,
          unitPriceMinor: 1_000 + i,
        },
      ],
    });
    drafts.push(draft.id);
  }
  if (process.argv.includes('--wait')) {
    process.stdout.write(`ready ${drafts.length}\n`);
    await waitForGo();
  }
  for (const id of drafts) {
    const invoice = await call<{ number: string }>('invoices.issue', { id });
    process.stdout.write(`issued ${invoice.number}\n`);
  }
  process.stdout.write(`done ${drafts.length}\n`);
  kontor.close();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  kontor.close();
  process.exitCode = 1;
}
