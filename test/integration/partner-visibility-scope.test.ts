// Who sees what (DOMAIN.md "Invoice visibility", "Partnership"): two partners, three clients,
// mixed access and payment. For every acting organization, every list, detail, count, total
// and export returns exactly what it may see — through the router, so the zod inputs are
// exercised too. Then the partnerships change and access follows at once.
//
//   C1: P1 complete, client pays      C2: P1 limited on products 0 and 1, P2 limited on 2
//   C3: P2 complete, partner pays     invoices: each paid by the side that pays
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { ListInvoices } from '#common/invoices.schema';
import type { MethodInput, MethodName } from '#core/api/contract';
import { listInvoicesQuery } from '#core/services/invoices.service';
import { line, listAll, setUpProvider } from '../helpers/invoices';
import { historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-scope-');

let k: TestKontor;
let dir: string;
let provider: string;
const org: Record<'P1' | 'P2' | 'C1' | 'C2' | 'C3', SeededOrganization> = {} as never;
type Name = keyof typeof org;
const NAMES: Name[] = ['P1', 'P2', 'C1', 'C2', 'C3'];
/** Invoice ids by label; `payer` is who pays (where it lives). */
const inv: Record<string, { id: string; number: string; payer: Name; products: Name }> = {};
const partnership: Record<string, string> = {};

const id = (n: Name) => org[n].organizationId;
const legal = (n: Name) => org[n].personIds[0]!;
const products = (n: Name) => org[n].productIds;

async function as(personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}

async function link(
  partner: Name,
  client: Name,
  access: 'limited' | 'complete',
  grant: { payment?: 'client' | 'partner'; productIds?: string[] } = {},
) {
  await as(legal(partner));
  const p = await k.ok('partners.inviteClient', {
    partnerOrganizationId: id(partner),
    clientOrganizationId: id(client),
    access,
    payment: grant.payment,
  });
  await as(legal(client));
  await k.ok('partners.accept', { partnershipId: p.id, productIds: grant.productIds });
  await as(null);
  return p.id;
}

async function invoice(
  label: string,
  payer: Name,
  productsOf: Name,
  productIndex = 0,
  issuedOn = '2026-03-10',
) {
  const draft = await k.ok('invoices.create', {
    organizationId: id(payer),
    productsOrganizationId: id(productsOf),
    issuedOn,
    lines: [
      line(12_000 + Object.keys(inv).length * 100, {
        productId: products(productsOf)[productIndex]!,
        description: label,
      }),
    ],
  });
  const issued = await k.ok('invoices.issue', { id: draft.id, issuedOn });
  inv[label] = { id: issued.id, number: issued.number as string, payer, products: productsOf };
}

beforeAll(async () => {
  k = space.kontor();
  dir = space.dir();
  provider = await setUpProvider(k);
  org.P1 = await seedOrganization(k, { name: 'Agence Alpha', products: 1, tags: 0 });
  org.P2 = await seedOrganization(k, { name: 'Bureau Beta', products: 1, tags: 0 });
  org.C1 = await seedOrganization(k, { name: 'Client Un', products: 2, tags: 0 });
  org.C2 = await seedOrganization(k, { name: 'Client Deux', products: 3, tags: 0 });
  org.C3 = await seedOrganization(k, { name: 'Client Trois', products: 2, tags: 0 });
  partnership.P1C1 = await link('P1', 'C1', 'complete', { payment: 'client' });
  partnership.P1C2 = await link('P1', 'C2', 'limited', { productIds: products('C2').slice(0, 2) });
  partnership.P2C2 = await link('P2', 'C2', 'limited', { productIds: [products('C2')[2]!] });
  partnership.P2C3 = await link('P2', 'C3', 'complete', { payment: 'partner' });
  // Client pays: the invoice lives with the client.
  await invoice('C1 pays for C1', 'C1', 'C1', 0, '2026-01-05');
  await invoice('C1 pays again', 'C1', 'C1', 1, '2026-02-05');
  await invoice('C2 pays for C2 (P1 product)', 'C2', 'C2', 0);
  await invoice('C2 pays for C2 (P2 product)', 'C2', 'C2', 2);
  // Partner pays: the invoice lives with the partner.
  await invoice('P2 pays for C3', 'P2', 'C3', 0, '2026-02-20');
  await invoice('P2 pays for C3 again', 'P2', 'C3', 1);
  await invoice('P1 own', 'P1', 'P1', 0);
  // Before the partnership, C3 paid its own: still C3's alone.
  await invoice('C3 own', 'C3', 'C3', 1, '2026-01-20');
  for (const [label, amount] of [
    ['C1 pays for C1', 5_000],
    ['P2 pays for C3', 3_000],
  ] as const) {
    await k.ok('payments.record', {
      invoiceId: inv[label]!.id,
      amountMinor: amount,
      currency: 'CHF',
      method: 'bank_transfer',
      receivedOn: '2026-03-12',
    });
  }
  for (const n of NAMES) {
    await k.ok('ledger.topUp', { organizationId: id(n), amountMinor: 10_000 });
    await k.ok('organizations.update', { id: id(n), renewalReminderDays: 60 });
  }
}, 300_000);

/** What each acting organization may see, by the rules, written out by hand. */
function expected(acting: Name | 'provider') {
  if (acting === 'provider') return { orgs: [provider], products: [] as string[], invoices: [] as string[] };
  const orgs: Record<Name, Name[]> = {
    P1: ['P1', 'C1', 'C2'],
    P2: ['P2', 'C2', 'C3'],
    C1: ['C1', 'P1'],
    C2: ['C2', 'P1', 'P2'],
    C3: ['C3', 'P2'],
  };
  const prods: Record<Name, string[]> = {
    P1: [...products('P1'), ...products('C1'), ...products('C2').slice(0, 2)],
    P2: [...products('P2'), products('C2')[2]!, ...products('C3')],
    C1: products('C1'),
    C2: products('C2'),
    C3: products('C3'),
  };
  return {
    orgs: orgs[acting].map(id),
    products: prods[acting],
    invoices: Object.values(inv)
      .filter((i) => i.payer === acting)
      .map((i) => i.id),
  };
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const allProducts = () => NAMES.flatMap(products);
const actingId = (a: Name | 'provider') => (a === 'provider' ? provider : id(a));
const ACTING: (Name | 'provider')[] = [...NAMES, 'provider'];

async function notVisible<M extends MethodName>(method: M, input: MethodInput<M>) {
  const before = historyCounts(k.raw);
  const e = await k.fails(method, input, 'not_visible');
  expect(e.message).not.toContain('{{');
  expect(historyCounts(k.raw)).toEqual(before);
  return e;
}

async function csvNumbers(acting: string, extra: Partial<MethodInput<'exports.invoices'>> = {}) {
  const out = path.join(dir, `scope-${acting}-${Object.keys(extra).length}.csv`);
  await k.ok('exports.invoices', { format: 'csv', out, actingOrganizationId: acting, ...extra });
  const parsed = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), {
    skipEmptyLines: true,
  });
  return parsed.data.slice(1).map((r) => r[0]!);
}

async function xlsxNumbers(acting: string) {
  const out = path.join(dir, `scope-${acting}.xlsx`);
  await k.ok('exports.invoices', { format: 'xlsx', out, actingOrganizationId: acting });
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(out);
  const numbers: string[] = [];
  book.worksheets[0]!.eachRow((row, i) => {
    // Text cells are written as rich text: read what a user sees.
    const first = row.getCell(1).text;
    if (i > 1 && /^(INV|CN|PRO)-/.test(first)) numbers.push(first);
  });
  return numbers;
}

async function downloadNumbers(acting: string): Promise<string[]> {
  const file = await k.bytes('exports.invoicesFile', { format: 'csv', actingOrganizationId: acting });
  const text = file.bytes.toString('utf8').replace(/^\uFEFF/, '');
  return Papa.parse<string[]>(text, { skipEmptyLines: true })
    .data.slice(1)
    .map((r) => r[0]!);
}

const numbersOf = (ids: string[]) =>
  sorted(
    Object.values(inv)
      .filter((i) => ids.includes(i.id))
      .map((i) => i.number),
  );

describe.each(ACTING)('acting as %s', (acting) => {
  const me = () => actingId(acting);

  it('organizations: list, get and stats show itself, its active clients and partners, nothing else', async () => {
    const want = expected(acting);
    const list = await k.ok('organizations.list', { actingOrganizationId: me() });
    expect(sorted(list.map((o) => o.id))).toEqual(sorted(want.orgs));
    // A client's product count is what this organization may see of it.
    for (const o of list) {
      const visibleThere = want.products.filter(
        (p) => k.raw.prepare('select organization_id from products where id = ?').pluck().get(p) === o.id,
      );
      expect(o.productCount, o.name).toBe(visibleThere.length);
    }
    for (const n of [...NAMES.map(id), provider]) {
      if (want.orgs.includes(n)) {
        expect((await k.ok('organizations.get', { id: n, actingOrganizationId: me() })).id).toBe(n);
        await k.ok('organizations.stats', { id: n, actingOrganizationId: me() });
      } else {
        await notVisible('organizations.get', { id: n, actingOrganizationId: me() });
        await notVisible('organizations.stats', { id: n, actingOrganizationId: me() });
      }
    }
  });

  it('products: list and count per organization, get of every product', async () => {
    const want = expected(acting);
    for (const n of NAMES) {
      const page = await k.ok('products.list', {
        organizationId: id(n),
        actingOrganizationId: me(),
        limit: 1,
      });
      const seen = [...page.rows.map((r) => r.id)];
      let cursor = page.nextCursor;
      while (cursor) {
        const next = await k.ok('products.list', {
          organizationId: id(n),
          actingOrganizationId: me(),
          limit: 1,
          cursor,
        });
        seen.push(...next.rows.map((r) => r.id));
        cursor = next.nextCursor;
      }
      const wantHere = want.products.filter((p) => products(n).includes(p));
      expect(sorted(seen), n).toEqual(sorted(wantHere));
      expect(
        (await k.ok('products.count', { organizationId: id(n), actingOrganizationId: me() })).count,
      ).toBe(wantHere.length);
    }
    for (const p of allProducts()) {
      if (want.products.includes(p))
        expect((await k.ok('products.get', { id: p, actingOrganizationId: me() })).id).toBe(p);
      else await notVisible('products.get', { id: p, actingOrganizationId: me() });
    }
    const reminders = await k.ok('invoices.renewalReminders', {
      today: '2026-12-15',
      actingOrganizationId: me(),
    });
    expect(sorted(reminders.map((r) => r.productId))).toEqual(sorted(want.products));
  });

  it('invoices: list (every page), details, payments, totals, counts and monthly totals', async () => {
    const want = expected(acting);
    const { rows } = await listAll(k, { actingOrganizationId: me(), limit: 2 });
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(want.invoices));
    // Asking for someone else's invoices by filter finds nothing.
    for (const n of [...NAMES.map(id), provider]) {
      const filtered = await k.ok('invoices.list', { actingOrganizationId: me(), organizationId: n });
      expect(sorted(filtered.rows.map((r) => r.id))).toEqual(n === me() ? sorted(want.invoices) : []);
      const forClient = await k.ok('invoices.list', {
        actingOrganizationId: me(),
        productsOrganizationId: n,
      });
      expect(sorted(forClient.rows.map((r) => r.id))).toEqual(
        sorted(want.invoices.filter((i) => id(Object.values(inv).find((x) => x.id === i)!.products) === n)),
      );
    }
    for (const i of Object.values(inv)) {
      if (want.invoices.includes(i.id)) {
        expect((await k.ok('invoices.get', { id: i.id, actingOrganizationId: me() })).id).toBe(i.id);
        expect(
          (await k.ok('invoices.getByNumber', { number: i.number, actingOrganizationId: me() })).id,
        ).toBe(i.id);
        await k.ok('invoices.payments', { id: i.id, actingOrganizationId: me() });
      } else {
        await notVisible('invoices.get', { id: i.id, actingOrganizationId: me() });
        await notVisible('invoices.getByNumber', { number: i.number, actingOrganizationId: me() });
        await notVisible('invoices.payments', { id: i.id, actingOrganizationId: me() });
      }
    }
    const gross = rows.reduce((a, r) => a + r.grossMinor, 0);
    const totals = await k.ok('invoices.totals', { actingOrganizationId: me() });
    expect(totals.reduce((a, t) => a + t.count, 0)).toBe(want.invoices.length);
    expect(totals.reduce((a, t) => a + t.grossMinor, 0)).toBe(gross);
    const counts = await k.ok('invoices.countsByStatus', { actingOrganizationId: me() });
    expect(counts.reduce((a, t) => a + t.count, 0)).toBe(want.invoices.length);
    const monthly = await k.ok('invoices.monthlyTotals', { actingOrganizationId: me() });
    expect(monthly.reduce((a, t) => a + t.grossMinor, 0)).toBe(gross);
    k.clock.set('2026-06-01T09:00:00.000Z');
    try {
      const overdue = await k.ok('invoices.overdue', { actingOrganizationId: me() });
      expect(sorted(overdue.map((r) => r.id))).toEqual(
        sorted(rows.filter((r) => r.status === 'unpaid' || r.status === 'partially_paid').map((r) => r.id)),
      );
    } finally {
      k.clock.set('2026-03-15T09:30:00.000Z');
    }
  });

  it('ledger and balances: its own prepaid account only', async () => {
    for (const n of [...NAMES.map(id), provider]) {
      if (n === me()) {
        const ledger = await k.ok('ledger.list', { organizationId: n, actingOrganizationId: me() });
        expect(ledger.rows.every((r) => r.organizationId === n)).toBe(true);
        await k.ok('ledger.balances', { organizationId: n, actingOrganizationId: me() });
      } else {
        const e = await notVisible('ledger.list', { organizationId: n, actingOrganizationId: me() });
        expect(e.message).toContain('prepaid account');
        await notVisible('ledger.balances', { organizationId: n, actingOrganizationId: me() });
      }
    }
  });

  it('exports: CSV, XLSX, streamed download and PDFs hold exactly its invoices', async () => {
    const want = numbersOf(expected(acting).invoices);
    expect(sorted(await csvNumbers(me()))).toEqual(want);
    // Inside the filters it means the same.
    expect(
      sorted(
        await csvNumbers(me(), { actingOrganizationId: undefined, filters: { actingOrganizationId: me() } }),
      ),
    ).toEqual(want);
    expect(sorted(await xlsxNumbers(me()))).toEqual(want);
    expect(sorted(await downloadNumbers(me()))).toEqual(want);
    for (const i of Object.values(inv)) {
      if (want.includes(i.number)) {
        const pdf = await k.bytes('invoices.pdf', { id: i.id, actingOrganizationId: me() });
        expect(pdf.bytes.length).toBeGreaterThan(1000);
      } else {
        await notVisible('invoices.pdf', { id: i.id, actingOrganizationId: me() });
        await notVisible('invoices.pdf', { number: i.number, actingOrganizationId: me() });
      }
    }
  });
});

describe('the whole book and the edges', () => {
  it('without actingOrganizationId: everything, as before (the accountant view)', async () => {
    const { rows } = await listAll(k, { limit: 3 });
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(Object.values(inv).map((i) => i.id)));
    const orgs = await k.ok('organizations.list', {});
    expect(orgs).toHaveLength(NAMES.length + 1);
    expect(sorted(await csvNumbers('', { actingOrganizationId: undefined }))).toEqual(
      numbersOf(Object.values(inv).map((i) => i.id)),
    );
  });

  it('a pack holds only the acting organization’s PDFs and rows', async () => {
    const out = path.join(dir, 'pack-P2');
    const pack = await k.ok('exports.pack', { out, actingOrganizationId: id('P2') });
    expect(pack.manifest.invoices).toBe(expected('P2').invoices.length);
    const files = fs.readdirSync(path.join(out, 'pdf')).sort();
    const numbers = numbersOf(expected('P2').invoices);
    expect(files.filter((f) => f.endsWith('.pdf'))).toEqual(numbers.map((n) => `${n}.pdf`));
    // E-invoice XML rides beside its PDF: none may belong to another organization's document.
    for (const xml of files.filter((f) => !f.endsWith('.pdf'))) {
      expect(numbers.some((n) => xml.startsWith(`${n}.`))).toBe(true);
    }
  });

  it('an acting organization that does not exist is an error, not an empty book', async () => {
    const ghost = '01900000-0000-7000-8000-000000000000';
    await k.fails('invoices.list', { actingOrganizationId: ghost }, 'organization_not_found');
    await k.fails(
      'products.list',
      { organizationId: id('C1'), actingOrganizationId: ghost },
      'organization_not_found',
    );
    await k.fails('organizations.list', { actingOrganizationId: ghost }, 'organization_not_found');
    await k.fails(
      'invoices.get',
      { id: inv['C1 pays for C1']!.id, actingOrganizationId: ghost },
      'organization_not_found',
    );
    await k.fails(
      'exports.invoices',
      { format: 'csv', out: path.join(dir, 'ghost.csv'), actingOrganizationId: ghost },
      'organization_not_found',
    );
    expect(fs.existsSync(path.join(dir, 'ghost.csv'))).toBe(false);
    await k.fails(
      'exports.invoicesFile',
      { format: 'csv', actingOrganizationId: ghost },
      'organization_not_found',
      { locale: 'fr' },
    );
  });

  it('two different acting organizations on one export are refused', async () => {
    await k.fails(
      'exports.invoices',
      {
        format: 'csv',
        out: path.join(dir, 'two.csv'),
        actingOrganizationId: id('P1'),
        filters: { actingOrganizationId: id('P2') },
      },
      'invalid_input',
    );
  });

  it('not_visible speaks the user’s language', async () => {
    const input = { id: inv['C1 pays for C1']!.id, actingOrganizationId: id('P1') };
    const en = await k.fails('invoices.get', input, 'not_visible');
    const fr = await k.fails('invoices.get', input, 'not_visible', { locale: 'fr' });
    const de = await k.fails('invoices.get', input, 'not_visible', { locale: 'de' });
    expect(en.message).toBe('This invoice is not visible to Agence Alpha.');
    expect(fr.message).toBe('Cette facture n’est pas visible pour Agence Alpha.');
    expect(de.message).toBe('Diese Rechnung ist für Agence Alpha nicht sichtbar.');
  });

  it('invoices.list as an organization walks invoices_org_issued_idx', () => {
    const ctx = k.kontor.ctx();
    for (const input of [
      { actingOrganizationId: id('P2') },
      { actingOrganizationId: id('P2'), productsOrganizationId: id('C3'), statuses: ['unpaid' as const] },
      { actingOrganizationId: id('P2'), organizationId: id('P2'), direction: 'asc' as const },
    ]) {
      const query = listInvoicesQuery(ctx, ListInvoices.parse(input), '2026-03-15').toSQL();
      const plan = (
        k.raw.prepare(`explain query plan ${query.sql}`).all(...(query.params as unknown[])) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toContain('invoices_org_issued_idx');
      expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    }
  });
});

describe('mutations as a partner', () => {
  it('a partner changes only the products it may see; the product stays with its client', async () => {
    const mine = products('C2')[0]!;
    const updated = await k.ok('products.update', {
      id: mine,
      name: 'Renommé par P1',
      actingOrganizationId: id('P1'),
    });
    expect(updated).toMatchObject({ name: 'Renommé par P1', organizationId: id('C2') });
    await notVisible('products.update', {
      id: products('C2')[2]!,
      name: 'Volé',
      actingOrganizationId: id('P1'),
    });
    await notVisible('products.update', {
      id: products('C3')[0]!,
      name: 'Volé',
      actingOrganizationId: id('P1'),
    });
    await notVisible('products.checkFrequencyChange', {
      id: products('C3')[0]!,
      billingFrequency: 'monthly',
      actingOrganizationId: id('P1'),
    });
    await notVisible('products.delete', { id: products('C1')[0]!, actingOrganizationId: id('P2') });
    expect((await k.ok('products.get', { id: products('C1')[0]! })).deletedAt).toBeNull();
  });

  it('a complete-access partner orders for its client (the product lives with the client); a limited one cannot', async () => {
    const created = await k.ok('products.create', {
      organizationId: id('C1'),
      kind: 'domain',
      name: 'commandé-par-p1.ch',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual',
      nextRenewalOn: '2027-03-01',
      actingOrganizationId: id('P1'),
    });
    expect(created.organizationId).toBe(id('C1'));
    expect((await k.ok('products.get', { id: created.id, actingOrganizationId: id('P1') })).id).toBe(
      created.id,
    );
    const base = {
      kind: 'domain' as const,
      name: 'x.ch',
      publicPriceMinor: 1_500,
      billingFrequency: 'annual' as const,
      nextRenewalOn: '2027-03-01',
    };
    await k.fails(
      'products.create',
      { ...base, organizationId: id('C2'), actingOrganizationId: id('P1') },
      'partner_cannot_order',
    );
    await notVisible('products.create', {
      ...base,
      organizationId: id('C3'),
      actingOrganizationId: id('P1'),
    });
    await k.ok('products.delete', { id: created.id, actingOrganizationId: id('P1') });
  });
});

describe('access follows the partnership, at once', () => {
  async function seesProduct(acting: Name, productId: string) {
    const r = await k.call('products.get', { id: productId, actingOrganizationId: id(acting) });
    if (!r.ok && r.error.code !== 'not_visible') throw new Error(r.error.code);
    return r.ok;
  }
  async function seesOrg(acting: Name, target: Name) {
    const list = await k.ok('organizations.list', { actingOrganizationId: id(acting) });
    return list.some((o) => o.id === id(target));
  }

  it('a limited partner whose allocation is taken back loses that product, keeps the client', async () => {
    const taken = products('C2')[2]!;
    expect(await seesProduct('P2', taken)).toBe(true);
    await as(legal('C2'));
    await k.ok('partners.deallocate', { partnershipId: partnership.P2C2!, productIds: [taken] });
    await as(null);
    expect(await seesProduct('P2', taken)).toBe(false);
    expect(
      (await k.ok('products.count', { organizationId: id('C2'), actingOrganizationId: id('P2') })).count,
    ).toBe(0);
    expect(await seesOrg('P2', 'C2')).toBe(true);
  });

  it('ending a partnership: the partner loses the client and its products with the next call; invoices it paid stay its own', async () => {
    await as(legal('C3'));
    await k.ok('partners.end', { partnershipId: partnership.P2C3!, confirm: true });
    await as(null);
    expect(await seesOrg('P2', 'C3')).toBe(false);
    expect(await seesOrg('C3', 'P2')).toBe(false);
    for (const p of products('C3')) expect(await seesProduct('P2', p)).toBe(false);
    await notVisible('organizations.get', { id: id('C3'), actingOrganizationId: id('P2') });
    // Invoices follow the payer, not the partnership: what P2 paid is in P2's books.
    const paid = await k.ok('invoices.list', { actingOrganizationId: id('P2') });
    expect(sorted(paid.rows.map((r) => r.id))).toEqual(sorted(expected('P2').invoices));
    // C3 still never sees them.
    await notVisible('invoices.get', { id: inv['P2 pays for C3']!.id, actingOrganizationId: id('C3') });

    await as(legal('P1'));
    await k.ok('partners.end', { partnershipId: partnership.P1C2!, confirm: true });
    await as(null);
    expect(await seesOrg('P1', 'C2')).toBe(false);
    for (const p of products('C2')) expect(await seesProduct('P1', p)).toBe(false);
  });

  it('invited, refused and withdrawn partnerships grant nothing (not even allocations made with the invitation)', async () => {
    const offered = products('C3')[0]!;
    // The client adds a partner with products chosen up front: invited, not yet active.
    await as(legal('C3'));
    const invited = await k.ok('partners.addPartner', {
      clientOrganizationId: id('C3'),
      partnerOrganizationId: id('P1'),
      access: 'limited',
      productIds: [offered],
    });
    expect(invited.status).toBe('invited');
    expect(await seesProduct('P1', offered)).toBe(false);
    expect(await seesOrg('P1', 'C3')).toBe(false);
    expect(await seesOrg('C3', 'P1')).toBe(false);
    await as(legal('P1'));
    await k.ok('partners.refuse', { partnershipId: invited.id });
    expect(await seesProduct('P1', offered)).toBe(false);
    expect(await seesOrg('P1', 'C3')).toBe(false);

    await as(legal('P2'));
    const again = await k.ok('partners.inviteClient', {
      partnerOrganizationId: id('P2'),
      clientOrganizationId: id('C3'),
      access: 'complete',
      payment: 'partner',
    });
    expect(await seesOrg('P2', 'C3')).toBe(false);
    await k.ok('partners.withdraw', { partnershipId: again.id });
    await as(null);
    expect(await seesOrg('P2', 'C3')).toBe(false);
    for (const p of products('C3')) expect(await seesProduct('P2', p)).toBe(false);
  });
});
