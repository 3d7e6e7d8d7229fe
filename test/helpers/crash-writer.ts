// A Kontor process that writes through the router in a loop until it is killed. Used by the
// crash-safety test (SIGKILL at a random moment) and the backup test (a writer on another
// connection). Protocol on stdout, one line each, written synchronously:
//   loaded <ms from process start>          modules loaded; with --wait, waits for a line on stdin
//   ready <deviceId> <ms from process start> <ms of which opening the store>
//   begin <n> <json of the call>            before a call
//   ack <n> <json of what it wrote>         after the call returned ok (so: committed)
// Usage: crash-writer.ts DBFILE [SEED] [MIGRATIONS_DIR] [--wait]
// --wait lets a test start the process (module loading is most of its start-up) while it is
// still checking the file, and tell it to go on once it is done with it.
// Lean on purpose: it imports only what opening Kontor needs, so a test can start it 100 times.
import fs from 'node:fs';
import { prng } from '#core/demo/prng';
import { openKontor } from '#core/kontor';

const args = process.argv.slice(2).filter((a) => a !== '--wait');
const wait = process.argv.includes('--wait');
const [dbFile, seedArg, migrationsDir] = args;
if (!dbFile) {
  process.stderr.write('usage: crash-writer DBFILE [SEED] [MIGRATIONS_DIR]\n');
  process.exit(2);
}

function say(line: string): void {
  const buffer = Buffer.from(`${line}\n`);
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(1, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

// Reproducible from the seed the parent chose.
const seed = Number(seedArg ?? 1) >>> 0;
const random = prng(seed);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const run = `r${seed.toString(36)}`;

// performance.now() counts from the process's start: module loading included.
say(`loaded ${Math.round(performance.now())}`);
if (wait) await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const started = performance.now();
const kontor = openKontor({ dbFile, migrationsDir: migrationsDir || undefined, log: () => {} });
say(
  `ready ${kontor.ctx().deviceId} ${Math.round(performance.now())} ${Math.round(performance.now() - started)}`,
);

async function call(method: string, input: unknown): Promise<unknown> {
  const result = await kontor.router.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

interface Org {
  id: string;
}
interface Tag {
  id: string;
}
interface Product {
  id: string;
}

async function main(): Promise<void> {
  // The first run creates the organization and tags; later runs (on the recovered file) find them.
  let org = ((await call('organizations.list', {})) as Org[])[0];
  if (!org)
    org = (await call('organizations.create', {
      kind: 'company',
      name: 'Crash Test AG',
      country: 'CH',
      currency: 'CHF',
    })) as Org;
  let tags = (await call('tags.list', { organizationId: org.id })) as Tag[];
  for (let i = tags.length; i < 6; i++) {
    await call('tags.create', { organizationId: org.id, name: `seed-${run}-${i}` });
  }
  tags = (await call('tags.list', { organizationId: org.id })) as Tag[];
  const recent = (
    (await call('products.list', {
      organizationId: org.id,
      limit: 200,
      sort: 'name',
      direction: 'desc',
    })) as {
      rows: Product[];
    }
  ).rows.map((p) => p.id);

  for (let n = 0; ; n++) {
    const roll = random();
    if (roll < 0.5 || recent.length < 3) {
      const tagIds = tags.filter(() => random() < 0.4).map((t) => t.id);
      const input = {
        organizationId: org.id,
        kind: pick(['web_hosting', 'mail_hosting', 'domain', 'drive'] as const),
        name: `p-${run}-${n}`,
        publicPriceMinor: Math.floor(random() * 100_000),
        billingFrequency: pick(['monthly', 'quarterly', 'annual'] as const),
        nextRenewalOn: '2027-01-01',
        tagIds,
      };
      say(`begin ${n} ${JSON.stringify({ op: 'create', name: input.name, tagIds })}`);
      const product = (await call('products.create', input)) as Product;
      say(`ack ${n} ${JSON.stringify({ op: 'create', id: product.id, name: input.name, tagIds })}`);
      recent.push(product.id);
    } else if (roll < 0.75) {
      const tag = pick(tags);
      const name = `t-${run}-${n}`;
      say(`begin ${n} ${JSON.stringify({ op: 'rename', tagId: tag.id, name })}`);
      await call('tags.rename', { tagId: tag.id, name });
      say(`ack ${n} ${JSON.stringify({ op: 'rename', tagId: tag.id, name })}`);
    } else {
      const tag = pick(tags);
      const productIds = [
        ...new Set(Array.from({ length: 1 + Math.floor(random() * 20) }, () => pick(recent))),
      ];
      say(`begin ${n} ${JSON.stringify({ op: 'assign', tagId: tag.id, productIds })}`);
      await call('tags.assign', { tagId: tag.id, productIds });
      say(`ack ${n} ${JSON.stringify({ op: 'assign', tagId: tag.id, productIds })}`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `crash-writer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
