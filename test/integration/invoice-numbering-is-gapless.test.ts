// SYNC.md, "Invoice numbers offline": numbers are unique and sequential per series (EU VAT
// Directive art. 226(2)); a number is consumed only when an invoice is issued, inside the
// issuing transaction. Drafts and failed issues consume none; credit notes and pro formas have
// series of their own; a new year starts a new series; two processes issuing on one file at
// the same moment (the CLI beside the app) still end with one gapless series.
import { spawn } from 'node:child_process';
import { prng } from '#core/demo/prng';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDraft,
  createPayer,
  type InvoiceDetail,
  issueInvoice,
  line,
  listAll,
  oneTo,
  parseNumber,
  sequencesBySeries,
  setUpProvider,
} from '../helpers/invoices';
import { REPO_ROOT, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-numbering-');

describe('one device issuing', () => {
  let k: TestKontor;
  let payerId: string;
  let homelessId: string;
  let productIds: string[];

  beforeAll(async () => {
    k = space.kontor();
    await setUpProvider(k);
    payerId = (await createPayer(k, { name: 'Boulangerie Martin Sàrl' })).id;
    homelessId = (await createPayer(k, { name: 'Sans Adresse SA', address: false })).id;
    productIds = [];
    for (const [name, price] of [
      ['Hébergement Web Pro', 11_880],
      ['Service Mail', 3_600],
    ] as const) {
      const product = await k.ok('products.create', {
        organizationId: payerId,
        kind: 'web_hosting',
        name,
        publicPriceMinor: price,
        billingFrequency: 'annual',
        nextRenewalOn: '2026-09-01',
      });
      productIds.push(product.id);
    }
  });

  it('gives the first invoice, credit note and pro forma of a series the number 1, each with its own prefix', async () => {
    const invoice = await issueInvoice(k, payerId);
    const proForma = await k.ok('invoices.proForma', { organizationId: payerId, productIds });
    const creditNote = await k.ok('invoices.creditNote', { invoiceId: invoice.id });
    const inv = parseNumber(invoice.number);
    const pro = parseNumber(proForma.number);
    const cn = parseNumber(creditNote.number);
    expect([inv.prefix, pro.prefix, cn.prefix]).toEqual(['INV', 'PRO', 'CN']);
    expect([inv.sequence, pro.sequence, cn.sequence]).toEqual([1, 1, 1]);
    expect([inv.year, pro.year, cn.year]).toEqual([2026, 2026, 2026]);
    // One device, one series code: the prefix is what tells the series apart.
    expect(new Set([inv.code, pro.code, cn.code]).size).toBe(1);
    expect(invoice.number).toMatch(/^INV-[0-9A-Z]{4}-2026-[0-9A-F]{6}-000001$/);
    expect(invoice).toMatchObject({ status: 'unpaid', series: inv.series, sequence: 1 });
  });

  it('consumes no number for a draft or for an issue that fails, and says why it failed', async () => {
    const before = parseNumber((await issueInvoice(k, payerId)).number).sequence;
    const waiting = await createDraft(k, payerId, [line(5_000)]);
    const empty = await createDraft(k, payerId, []);
    const emptyError = await k.fails('invoices.issue', { id: empty.id }, 'invoice_empty', { locale: 'en' });
    expect(emptyError.message).toBe('Add at least one line before issuing.');
    expect(
      (await k.fails('invoices.issue', { id: empty.id }, 'invoice_empty', { locale: 'fr' })).message,
    ).toBe('Ajoutez au moins une ligne avant d’émettre.');
    const homeless = await createDraft(k, homelessId, [line(5_000)]);
    const noAddress = await k.fails('invoices.issue', { id: homeless.id }, 'billing_address_missing');
    expect(noAddress.message).toBe('Sans Adresse SA has no billing address yet. Add one first.');
    const wrongRate = await createDraft(k, payerId, [line(5_000, { vatRateBp: 770 })]);
    await k.fails('invoices.issue', { id: wrongRate.id }, 'vat_rate_not_allowed');

    const next = await issueInvoice(k, payerId);
    expect(parseNumber(next.number).sequence).toBe(before + 1);
    for (const id of [waiting.id, empty.id, homeless.id, wrongRate.id]) {
      const draft = await k.ok('invoices.get', { id });
      expect(draft).toMatchObject({ status: 'draft', number: null, series: null, sequence: null });
    }
    // The draft that waited gets the next number when it is issued, not the one it was created at.
    const late = await k.ok('invoices.issue', { id: waiting.id });
    expect(parseNumber(late.number).sequence).toBe(before + 2);
    // Fixing what made an issue fail and issuing again continues the series too.
    await k.ok('addresses.create', {
      organizationId: homelessId,
      label: 'Siège',
      recipient: 'Sans Adresse SA',
      line1: 'Route de Genève 8',
      postalCode: '1260',
      city: 'Nyon',
      country: 'CH',
    });
    const fixed = await k.ok('invoices.issue', { id: homeless.id });
    expect(parseNumber(fixed.number).sequence).toBe(before + 3);
    // Deleting a draft does not leave a hole either: it never had a number.
    await k.ok('invoices.deleteDraft', { id: wrongRate.id });
    expect(parseNumber((await issueInvoice(k, payerId)).number).sequence).toBe(before + 4);
  });

  it('keeps every series gapless and duplicate-free over a long, mixed working session', async () => {
    const random = prng(20261123);
    const issued: InvoiceDetail[] = [];
    const open: InvoiceDetail[] = [];
    const drafts: string[] = [];
    let failures = 0;
    for (let step = 0; step < 120; step++) {
      const roll = random();
      if (roll < 0.45) {
        const invoice = await issueInvoice(k, payerId, [
          line(1_000 + step, { quantityMilli: 1000 + (step % 3) * 500 }),
        ]);
        issued.push(invoice);
        open.push(invoice);
      } else if (roll < 0.55) {
        drafts.push((await createDraft(k, payerId, [line(2_000)])).id);
      } else if (roll < 0.62) {
        // A draft from earlier gets issued now: it takes the next number, whenever it was created.
        const id = drafts.shift();
        if (id) issued.push(await k.ok('invoices.issue', { id }));
      } else if (roll < 0.72) {
        const empty = await createDraft(k, payerId, []);
        await k.fails('invoices.issue', { id: empty.id }, 'invoice_empty');
        await k.ok('invoices.deleteDraft', { id: empty.id });
        failures++;
      } else if (roll < 0.78) {
        const homeless = await createPayer(k, { address: false });
        const draft = await createDraft(k, homeless.id, [line(3_000)]);
        await k.fails('invoices.issue', { id: draft.id }, 'billing_address_missing');
        failures++;
      } else if (roll < 0.88) {
        issued.push(
          await k.ok('invoices.proForma', {
            organizationId: payerId,
            productIds: productIds.slice(0, 1 + (step % 2)),
          }),
        );
      } else {
        const target = open.splice(Math.floor(random() * open.length), 1)[0];
        if (target) issued.push(await k.ok('invoices.creditNote', { invoiceId: target.id }));
      }
    }
    expect(failures).toBeGreaterThan(5);

    // What a user sees: every issued document in the list, each number once.
    const { rows } = await listAll(k, { direction: 'asc', limit: 100 });
    const numbered = rows.filter((r) => r.status !== 'draft');
    const numbers = numbered.map((r) => r.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(rows.filter((r) => r.status === 'draft').every((r) => r.number === null)).toBe(true);
    for (const invoice of issued) expect(numbers).toContain(invoice.number);

    const series = sequencesBySeries(numbers);
    expect([...series.keys()].map((s) => s.split('-')[0]).sort()).toEqual(['CN', 'INV', 'PRO']);
    for (const [name, sequences] of series) expect(sequences, name).toEqual(oneTo(sequences.length));

    // In the order they were issued, numbers only go up within a series.
    const lastSeen = new Map<string, number>();
    for (const invoice of issued) {
      const { series: s, sequence } = parseNumber(invoice.number);
      expect(sequence).toBeGreaterThan(lastSeen.get(s) ?? 0);
      lastSeen.set(s, sequence);
    }
  });
});

describe('a new year', () => {
  it('starts new series at 1, and the old year’s series are not touched', async () => {
    const k = space.kontor({ now: '2026-12-31T16:00:00.000Z' });
    await setUpProvider(k);
    const payer = await createPayer(k);
    const product = await k.ok('products.create', {
      organizationId: payer.id,
      kind: 'domain',
      name: 'exemple.ch',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-02-01',
    });
    const december = [await issueInvoice(k, payer.id), await issueInvoice(k, payer.id)];
    const decemberProForma = await k.ok('invoices.proForma', {
      organizationId: payer.id,
      productIds: [product.id],
    });
    expect(december.map((i) => parseNumber(i.number).year)).toEqual([2026, 2026]);
    // A draft created in December and issued in January is a January invoice.
    const straddling = await createDraft(k, payer.id);

    k.clock.set('2027-01-04T08:00:00.000Z');
    const january = await k.ok('invoices.issue', { id: straddling.id });
    const januaryProForma = await k.ok('invoices.proForma', {
      organizationId: payer.id,
      productIds: [product.id],
    });
    const januaryCredit = await k.ok('invoices.creditNote', { invoiceId: december[0]!.id });
    expect(january).toMatchObject({ issuedOn: '2027-01-04' });
    for (const doc of [january, januaryProForma, januaryCredit]) {
      expect(parseNumber(doc.number)).toMatchObject({ year: 2027, sequence: 1 });
    }
    expect(parseNumber(decemberProForma.number)).toMatchObject({ year: 2026, sequence: 1 });
    const second = await issueInvoice(k, payer.id);
    expect(parseNumber(second.number)).toMatchObject({ year: 2027, sequence: 2 });

    const { rows } = await listAll(k, { direction: 'asc', limit: 100 });
    const series = sequencesBySeries(rows.filter((r) => r.status !== 'draft').map((r) => r.number));
    expect(
      Object.fromEntries(
        [...series].map(([name, seq]) => [
          name.replace(/-[0-9A-Z]{4}-/, '-').replace(/-[0-9A-F]{6}$/, ''),
          seq,
        ]),
      ),
    ).toEqual({
      'INV-2026': [1, 2],
      'PRO-2026': [1],
      'INV-2027': [1, 2],
      'PRO-2027': [1],
      'CN-2027': [1],
    });
  });
});

// ---------------------------------------------------------------------------------------
// Two OS processes, one file.

interface WorkerRun {
  numbers: string[];
  code: number | null;
  stderr: string;
}

function startIssueWorker(file: string, count: number, payerId: string) {
  const child = spawn(
    process.execPath,
    ['bin/tsx.js', 'test/helpers/issue-worker.ts', file, String(count), `--payer=${payerId}`, '--wait'],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let onReady: (() => void) | null = null;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (/^ready \d+$/m.test(stdout)) onReady?.();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => {});
  const finished = new Promise<WorkerRun>((resolve) => {
    child.on('close', (code) => {
      onReady?.();
      const numbers = [...stdout.matchAll(/^issued (\S+)$/gm)].map((m) => m[1] as string);
      resolve({ numbers, code, stderr });
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), finished };
}

describe('two processes issuing on the same file at the same moment', () => {
  it('end with unique, gapless numbers (BEGIN IMMEDIATE and the busy timeout serialize them)', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k, { name: 'Concurrent Client SA' });
    // The app itself has issued a few already: the workers continue its series.
    for (let i = 0; i < 3; i++) await issueInvoice(k, payer.id);

    const perWorker = 20;
    const a = startIssueWorker(k.file, perWorker, payer.id);
    const b = startIssueWorker(k.file, perWorker, payer.id);
    // Both have loaded, opened the file and created their drafts: now let them race.
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    const [runA, runB] = await Promise.all([a.finished, b.finished]);
    expect(runA.stderr).toBe('');
    expect(runB.stderr).toBe('');
    expect([runA.code, runB.code]).toEqual([0, 0]);
    expect(runA.numbers).toHaveLength(perWorker);
    expect(runB.numbers).toHaveLength(perWorker);

    // Each process saw its own numbers rise; together they fill 4..43 exactly once.
    for (const run of [runA, runB]) {
      const sequences = run.numbers.map((n) => parseNumber(n).sequence);
      expect([...sequences].sort((x, y) => x - y)).toEqual(sequences);
    }
    const all = [...runA.numbers, ...runB.numbers];
    expect(new Set(all).size).toBe(all.length);
    const series = sequencesBySeries(all);
    expect(series.size).toBe(1);
    expect([...series.values()][0]).toEqual(oneTo(3 + 2 * perWorker).slice(3));

    // The app's own view of the file agrees, and its next number follows on.
    const { rows } = await listAll(k, { organizationId: payer.id, direction: 'asc', limit: 100 });
    expect(rows.every((r) => r.status === 'unpaid')).toBe(true);
    expect([...sequencesBySeries(rows.map((r) => r.number)).values()]).toEqual([oneTo(3 + 2 * perWorker)]);
    const next = await issueInvoice(k, payer.id);
    expect(parseNumber(next.number).sequence).toBe(4 + 2 * perWorker);
  }, 90_000);
});
