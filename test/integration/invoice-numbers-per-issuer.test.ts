// Issue 15, item 7: a second issuer's first invoices got numbers the first issuer already
// used; `kontor pdf NUMBER` printed the other issuer's invoice and a pack of 28 held 26 PDFs
// under a manifest saying 28. Numbers now carry the issuer's code (common/invoice-numbering.ts):
// unique across the book, per issuer, in one process, in two processes on one file, and on
// two devices syncing through a real hub. Documents are found by issuer + number or by id.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedIssuerCode } from '#common/invoice-numbering';
import { insertInvoicesBulk } from '#core/services/invoices/bulk';
import { adminApi, startTestHub, type TestHub } from '../helpers/hub';
import {
  CH_QR_IBAN,
  createPayer,
  type InvoiceDetail,
  issueInvoice,
  line,
  oneTo,
  parseNumber,
  setUpProvider,
} from '../helpers/invoices';
import { FixedClock, REPO_ROOT, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-issuers-');

/** A second organization that issues invoices of its own (a reseller billing its clients). */
async function secondIssuer(k: TestKontor, name = 'Revendeur Léman Sàrl'): Promise<string> {
  const org = await k.ok('organizations.create', {
    kind: 'company',
    name,
    country: 'CH',
    currency: 'CHF',
    // A legal issuer: its VAT number (a UID of its own) and its account (firm-setup.test.ts).
    uid: 'CHE-123.456.788',
    iban: CH_QR_IBAN,
  });
  await k.ok('addresses.create', {
    organizationId: org.id,
    label: 'Siège',
    recipient: name,
    line1: 'Quai du Mont-Blanc 1',
    postalCode: '1201',
    city: 'Genève',
    country: 'CH',
  });
  return org.id;
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** Every number of the store with its issuer. */
function numbersOf(k: TestKontor): { number: string; issuer: string }[] {
  return k.raw
    .prepare(
      'SELECT number, issuer_organization_id AS issuer FROM invoices WHERE number IS NOT NULL ORDER BY number',
    )
    .all() as { number: string; issuer: string }[];
}

/** Unique across the book; per issuer, its own code and gapless sequences per series. */
function expectNumbersApart(rows: { number: string; issuer: string }[], codes: Map<string, string>) {
  expect(new Set(rows.map((r) => r.number)).size).toBe(rows.length);
  const bySeries = new Map<string, number[]>();
  for (const r of rows) {
    const parsed = parseNumber(r.number);
    expect(parsed.issuer, r.number).toBe(codes.get(r.issuer));
    bySeries.set(parsed.series, [...(bySeries.get(parsed.series) ?? []), parsed.sequence]);
  }
  for (const [series, sequences] of bySeries) {
    expect(
      [...sequences].sort((a, b) => a - b),
      series,
    ).toEqual(oneTo(sequences.length));
  }
}

function startIssueWorker(file: string, count: number, payerId: string, issuerId: string) {
  const child = spawn(
    process.execPath,
    [
      'bin/tsx.js',
      'test/helpers/issue-worker.ts',
      file,
      String(count),
      `--payer=${payerId}`,
      `--issuer=${issuerId}`,
      '--wait',
    ],
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
  const finished = new Promise<{ numbers: string[]; code: number | null; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      onReady?.();
      resolve({ numbers: [...stdout.matchAll(/^issued (\S+)$/gm)].map((m) => m[1] as string), code, stderr });
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), finished };
}

function runCli(file: string, args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'kontor.js'), '--db', file, ...args],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KONTOR_DB: '' },
      },
    );
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('two issuers in one book', () => {
  let k: TestKontor;
  let provider: string;
  let reseller: string;
  let payer: string;
  const codes = new Map<string, string>();

  beforeAll(async () => {
    k = space.kontor();
    provider = await setUpProvider(k);
    reseller = await secondIssuer(k);
    payer = (await createPayer(k, { name: 'Client Commun SA' })).id;
    codes.set(provider, derivedIssuerCode(provider));
    codes.set(reseller, derivedIssuerCode(reseller));
  });

  it('numbers each issuer in its own series, with its code, whoever issues first', async () => {
    const mine = await issueInvoice(k, payer, [line(10_000)]);
    const theirs = await issueInvoice(k, payer, [line(20_000)], { issuerOrganizationId: reseller });
    expect(parseNumber(mine.number)).toMatchObject({ issuer: codes.get(provider), sequence: 1 });
    expect(parseNumber(theirs.number)).toMatchObject({ issuer: codes.get(reseller), sequence: 1 });
    // What collided before: the same series suffix and sequence, now told apart by the issuer.
    expect(mine.number?.replace(codes.get(provider) as string, '')).toBe(
      theirs.number?.replace(codes.get(reseller) as string, ''),
    );
    expect(mine.number).not.toBe(theirs.number);
    // A reference only has to be unique per creditor: it still fits the 21 characters of ISO 11649.
    expect(mine.referenceType).toBe('SCOR');
    expect(theirs.referenceType).toBe('QRR');
  });

  it('issues concurrently from two processes, one per issuer, without a shared or repeated number', async () => {
    const perWorker = 12;
    const a = startIssueWorker(k.file, perWorker, payer, provider);
    const b = startIssueWorker(k.file, perWorker, payer, reseller);
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    // The app issues at the same time, alternating issuers.
    for (let i = 0; i < 4; i++) {
      await issueInvoice(k, payer, [line(1_000 + i)], { issuerOrganizationId: i % 2 ? reseller : provider });
    }
    const [runA, runB] = await Promise.all([a.finished, b.finished]);
    expect([runA.stderr, runB.stderr]).toEqual(['', '']);
    expect([runA.code, runB.code]).toEqual([0, 0]);
    expect(runA.numbers.every((n) => parseNumber(n).issuer === codes.get(provider))).toBe(true);
    expect(runB.numbers.every((n) => parseNumber(n).issuer === codes.get(reseller))).toBe(true);
    expectNumbersApart(numbersOf(k), codes);
  });

  it('finds a document by number (each issuer its own), by issuer + number and by id; `kontor pdf` prints the right one', async () => {
    const rows = numbersOf(k);
    for (const row of rows) {
      const found = await k.ok('invoices.getByNumber', { number: row.number });
      expect(found.issuerOrganizationId).toBe(row.issuer);
      const withIssuer = await k.ok('invoices.getByNumber', {
        number: row.number,
        issuerOrganizationId: row.issuer,
      });
      expect(withIssuer.id).toBe(found.id);
    }
    const other = rows.find((r) => r.issuer === reseller) as { number: string };
    await k.fails(
      'invoices.getByNumber',
      { number: other.number, issuerOrganizationId: provider },
      'invoice_not_found',
    );

    const dir = space.dir();
    const theirs = rows.find((r) => r.issuer === reseller) as { number: string };
    const byNumber = runCli(k.file, ['pdf', theirs.number, '--out', path.join(dir, 'n.pdf')]);
    expect(byNumber.stderr).toBe('');
    const text = pdfText(path.join(dir, 'n.pdf'));
    expect(text).toContain('Revendeur Léman Sàrl');
    expect(text).toContain(theirs.number);
    const id = (await k.ok('invoices.getByNumber', { number: theirs.number })).id;
    expect(runCli(k.file, ['pdf', id, '--out', path.join(dir, 'i.pdf')]).code).toBe(0);
    expect(pdfText(path.join(dir, 'i.pdf'))).toContain(theirs.number);
  });

  it('writes one PDF per invoice into a pack, and the manifest counts what it wrote', async () => {
    const out = path.join(space.dir(), 'pack');
    const total = numbersOf(k).length;
    const result = await k.ok('exports.pack', {
      out,
      profile: 'spreadsheet',
      locale: 'en',
      filters: { organizationIds: [], statuses: [], kinds: [] },
    });
    const inPdf = fs.readdirSync(path.join(out, 'pdf'));
    const pdfs = inPdf.filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(total);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.invoices).toBe(total);
    // Each issued invoice's e-invoice XML lies beside its PDF, and the manifest lists both.
    const listed = new Set((manifest.files as { path: string }[]).map((f) => f.path));
    for (const pdf of pdfs) {
      const xml = inPdf.find((f) => f.startsWith(pdf.slice(0, -4)) && f.endsWith('.xml'));
      expect(xml, pdf).toBeDefined();
      expect(listed.has(`pdf/${pdf}`) && listed.has(`pdf/${xml}`), pdf).toBe(true);
    }
    expect(result.manifest.invoices).toBe(total);
    // A file named after a number holds that number's document, of that issuer.
    for (const row of numbersOf(k).filter((_, i) => i % 9 === 0)) {
      const text = pdfText(path.join(out, 'pdf', `${row.number}.pdf`));
      expect(text).toContain(row.number);
      expect(text).toContain(row.issuer === reseller ? 'Revendeur Léman Sàrl' : 'Infomaniak Hosting SA');
    }
  });

  it('lets an issuer choose its code (new numbers only, the sequence runs on), never one another issuer numbers with', async () => {
    await k.fails('organizations.update', { id: reseller, invoiceCode: 'a-b' }, 'issuer_code_invalid');
    const taken = await k.fails(
      'organizations.update',
      { id: reseller, invoiceCode: codes.get(provider) },
      'issuer_code_taken',
    );
    expect(taken.message).toContain('Infomaniak Hosting SA');
    const before = numbersOf(k).filter((r) => r.issuer === reseller).length;
    await k.ok('organizations.update', { id: reseller, invoiceCode: 'rlem' });
    const next = await issueInvoice(k, payer, [line(5_000)], { issuerOrganizationId: reseller });
    expect(parseNumber(next.number)).toMatchObject({ issuer: 'RLEM', sequence: before + 1 });
    await k.fails('organizations.update', { id: provider, invoiceCode: 'RLEM' }, 'issuer_code_taken');
  });

  it('refuses to issue a number another issuer of the book already holds, naming both and the fix', async () => {
    // Whatever made two codes coincide (a hash collision, a code chosen offline on two
    // devices), the next number the provider would draw already exists for the reseller.
    const last = numbersOf(k)
      .filter((r) => r.issuer === provider)
      .map((r) => parseNumber(r.number));
    const top = last.reduce((a, b) => (b.sequence > a.sequence ? b : a));
    const squatted = `${top.series}-${String(top.sequence + 1).padStart(6, '0')}`;
    plantInvoice(k, { issuer: reseller, issuerName: 'Revendeur Léman Sàrl', payer, number: squatted });
    const draft = await k.ok('invoices.create', { organizationId: payer, lines: [line(100)] });
    const refused = await k.fails('invoices.issue', { id: draft.id }, 'invoice_number_taken', {
      locale: 'fr',
    });
    expect(refused.message).toContain(squatted);
    expect(refused.message).toContain('Revendeur Léman Sàrl');
    expect(refused.message).toContain('code de facturation');
    // Nothing consumed: the draft is still a draft.
    expect((await k.ok('invoices.get', { id: draft.id })).status).toBe('draft');
  });

  it('asks which issuer when several hold one number (older numbers, imported history), and packs both', async () => {
    const shared = 'F-2019-0042';
    const ids = [
      plantInvoice(k, { issuer: provider, issuerName: 'Infomaniak Hosting SA', payer, number: shared }),
      plantInvoice(k, { issuer: reseller, issuerName: 'Revendeur Léman Sàrl', payer, number: shared }),
    ];
    const ambiguous = await k.fails('invoices.getByNumber', { number: shared }, 'invoice_number_ambiguous');
    expect(ambiguous.message).toContain('Infomaniak Hosting SA');
    expect(ambiguous.message).toContain('Revendeur Léman Sàrl');
    const chosen = await k.ok('invoices.getByNumber', { number: shared, issuerOrganizationId: reseller });
    expect(chosen.id).toBe(ids[1]);
    const cli = runCli(k.file, ['pdf', shared, '--out', path.join(space.dir(), 'x.pdf')]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('--issuer');

    const out = path.join(space.dir(), 'old.zip').replace(/\.zip$/, '');
    await k.ok('exports.pack', {
      out,
      profile: 'spreadsheet',
      locale: 'en',
      filters: { organizationIds: [], statuses: [], kinds: [], from: '2019-01-01', to: '2019-12-31' },
    });
    const pdfs = fs
      .readdirSync(path.join(out, 'pdf'))
      .filter((f) => f.endsWith('.pdf'))
      .sort();
    expect(pdfs).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).invoices).toBe(2);
    const issuers = pdfs.map((f) => pdfText(path.join(out, 'pdf', f)));
    expect(issuers.some((t) => t.includes('Revendeur Léman Sàrl'))).toBe(true);
    expect(issuers.some((t) => t.includes('Infomaniak Hosting SA'))).toBe(true);
  });
});

function party(name: string, postalCode: string, city: string, iban: string | null) {
  return {
    name,
    recipient: name,
    street: 'Rue du Marché 4',
    line2: null,
    postalCode,
    city,
    country: 'CH',
    vatNumber: null,
    uid: null,
    email: null,
    iban,
  };
}

/** An issued invoice written straight into the store (numbers Kontor would no longer mint). */
function plantInvoice(
  k: TestKontor,
  o: { issuer: string; issuerName: string; payer: string; number: string },
): string {
  const ctx = k.kontor.ctx();
  const issued = o.number.startsWith('F-2019') ? '2019-05-02' : '2026-03-15';
  const { ids } = insertInvoicesBulk(
    ctx,
    [
      {
        kind: 'invoice',
        status: 'unpaid',
        organizationId: o.payer,
        productsOrganizationId: o.payer,
        issuerOrganizationId: o.issuer,
        billingAddressId: null,
        currency: 'CHF',
        locale: 'fr',
        issuedOn: issued,
        dueOn: issued,
        series: o.number.split('-').slice(0, -1).join('-'),
        sequence: null,
        number: o.number,
        billTo: party('Client Commun SA', '1003', 'Lausanne', null),
        issuer: party(o.issuerName, '1201', 'Genève', null),
        reverseCharge: false,
        paidMinor: 0,
        referenceType: 'NON',
        paymentReference: null,
        notes: null,
        importRef: null,
        lines: [
          {
            productId: null,
            description: 'Hébergement',
            quantityMilli: 1000,
            unitPriceMinor: 1_000,
            discountBp: 0,
            vatRateBp: 810,
          },
        ],
      },
    ],
    { action: 'test.planted', collectIds: true },
  );
  return ids[0] as string;
}

describe('two issuers on two devices syncing through a real hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('sqlite');
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('keep every number unique per issuer and across the book, and each device prints the right document', async () => {
    const admin = adminApi(hub.url);
    await admin.createUser('issuers');
    const devices: TestKontor[] = [];
    for (let i = 0; i < 2; i++) {
      const d = space.kontor({ clock: new FixedClock(new Date().toISOString()) });
      const { code } = await admin.enrollCode('issuers');
      await d.ok('sync.configure', { hubUrl: hub.url, enrollCode: code });
      devices.push(d);
    }
    const [a, b] = devices as [TestKontor, TestKontor];
    const provider = await setUpProvider(a);
    const reseller = await secondIssuer(a);
    const payer = (await createPayer(a, { name: 'Client Synchronisé SA' })).id;
    await a.ok('sync.now', {});
    await b.ok('sync.now', {});
    // Offline, both devices issue for both issuers.
    const issued: InvoiceDetail[] = [];
    for (let i = 0; i < 6; i++) {
      for (const d of [a, b]) {
        d.clock.advance(1_000);
        issued.push(
          await issueInvoice(d, payer, [line(1_000 + i)], {
            issuerOrganizationId: i % 2 ? reseller : provider,
          }),
        );
      }
    }
    for (const d of [a, b, a]) expect((await d.ok('sync.now', {})).rejected).toBe(0);
    const codes = new Map([
      [provider, derivedIssuerCode(provider)],
      [reseller, derivedIssuerCode(reseller)],
    ]);
    for (const d of [a, b]) {
      const rows = numbersOf(d);
      expect(rows).toHaveLength(issued.length);
      expectNumbersApart(rows, codes);
    }
    // Device b prints a's documents by number: the right issuer, the right amount.
    const fromA = issued.filter((_, i) => i % 2 === 0);
    for (const doc of fromA.slice(0, 3)) {
      const pdf = await b.bytes('invoices.pdf', { number: doc.number as string });
      const file = path.join(space.dir(), 'doc.pdf');
      fs.writeFileSync(file, pdf.bytes);
      const text = pdfText(file);
      expect(text).toContain(doc.number as string);
      expect(text).toContain(
        doc.issuerOrganizationId === reseller ? 'Revendeur Léman Sàrl' : 'Infomaniak Hosting SA',
      );
    }
  });
});
