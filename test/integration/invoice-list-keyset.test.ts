// invoices.list pages with a keyset on (issued_on, id). With 3,000 invoices — hundreds of them
// on the same day, so pages break inside ties — walking every page of 100, newest first or
// oldest first, gives exactly the full ordered list: no row twice, none skipped. Filters
// (status, period with both ends included, organization, overdue, text) keep that promise,
// and invoices.totals agrees with the rows the list shows.
import { beforeAll, describe, expect, it } from 'vitest';
import { prng } from '#core/demo/prng';
import type { MethodInput } from '#core/api/contract';
import { addDays } from '#common/dates';
import { lineAmounts } from '#common/invoice-math';
import { type BulkInvoice, insertInvoicesBulk } from '#core/services/invoices/bulk';
import { numbering } from '#common/invoice-numbering';
import { createPayer, type InvoiceRow, listAll, setUpProvider } from '../helpers/invoices';
import { type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-invoice-pages-');

const TOTAL = 3_000;
const TODAY = '2026-03-15'; // the test clock's day
const FIRST_DAY = '2025-09-01';
/** The day the yearly renewals go out: hundreds of invoices share it. */
const RENEWAL_DAY = '2026-01-01';

interface Truth {
  id: string;
  kind: BulkInvoice['kind'];
  status: BulkInvoice['status'];
  organizationId: string;
  currency: 'CHF' | 'EUR';
  issuedOn: string;
  dueOn: string | null;
  number: string | null;
  grossMinor: number;
}

let k: TestKontor;
let payers: { id: string; currency: 'CHF' | 'EUR'; rate: number }[];
let truth: Truth[];

beforeAll(async () => {
  k = space.kontor();
  const providerId = await setUpProvider(k);
  payers = [];
  for (const [country, kind, rate] of [
    ['CH', 'company', 810],
    ['CH', 'company', 810],
    ['CH', 'individual', 810],
    ['FR', 'individual', 2000],
    ['DE', 'company', 1900],
  ] as const) {
    const payer = await createPayer(k, { country, kind });
    payers.push({ id: payer.id, currency: country === 'CH' ? 'CHF' : 'EUR', rate });
  }

  // The invoices arrive through the bulk path (as an import would bring them), statuses spread
  // like a real book.
  const random = prng(3_000);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sequences = new Map<string, number>();
  const specs: Omit<Truth, 'id'>[] = [];
  const bulk: BulkInvoice[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const payer = pick(payers);
    const issuedOn = random() < 0.09 ? RENEWAL_DAY : addDays(FIRST_DAY, Math.floor(random() * 196));
    const roll = random();
    const kind: BulkInvoice['kind'] = roll < 0.08 ? 'credit_note' : roll < 0.14 ? 'pro_forma' : 'invoice';
    const status: BulkInvoice['status'] =
      kind === 'credit_note'
        ? 'paid'
        : kind === 'pro_forma'
          ? pick(['unpaid', 'cancelled'] as const)
          : pick([
              'draft',
              'unpaid',
              'unpaid',
              'partially_paid',
              'paid',
              'paid',
              'paid',
              'cancelled',
              'refunded',
            ] as const);
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, n) => ({
      productId: null,
      description: `Ligne ${n + 1}`,
      quantityMilli: pick([1000, 1000, 3000, 12_000, 500]),
      unitPriceMinor: 100 + Math.floor(random() * 50_000),
      discountBp: pick([0, 0, 500, 1000]),
      vatRateBp: payer.rate,
    }));
    const grossMinor = lines.reduce((s, l) => s + lineAmounts(l).grossMinor, 0);
    let numbers: ReturnType<typeof numbering> | null = null;
    if (status !== 'draft') {
      const year = Number(issuedOn.slice(0, 4));
      const key = `${kind}:${year}`;
      const sequence = (sequences.get(key) ?? 0) + 1;
      sequences.set(key, sequence);
      numbers = numbering(kind, 'KEYS', year, 'B0B0B0', sequence);
    }
    const dueOn = kind === 'invoice' && status !== 'draft' ? addDays(issuedOn, 30) : null;
    const paidMinor =
      status === 'paid' || status === 'refunded' ? grossMinor : status === 'partially_paid' ? 100 : 0;
    specs.push({
      kind,
      status,
      organizationId: payer.id,
      currency: payer.currency,
      issuedOn,
      dueOn,
      number: numbers?.number ?? null,
      grossMinor,
    });
    bulk.push({
      kind,
      status,
      organizationId: payer.id,
      productsOrganizationId: payer.id,
      issuerOrganizationId: providerId,
      billingAddressId: null,
      currency: payer.currency,
      locale: 'fr',
      issuedOn,
      dueOn,
      series: numbers?.series ?? null,
      sequence: numbers?.sequence ?? null,
      number: numbers?.number ?? null,
      billTo: null,
      issuer: null,
      reverseCharge: false,
      paidMinor,
      referenceType: null,
      paymentReference: null,
      notes: null,
      importRef: null,
      lines,
    });
  }
  const { inserted, ids } = insertInvoicesBulk(k.kontor.ctx(), bulk, {
    action: 'test.invoices_loaded',
    collectIds: true,
  });
  expect(inserted).toBe(TOTAL);
  truth = specs.map((spec, i) => ({ ...spec, id: ids[i]! }));
});

/** The order a user sees: by issue date, then id (the tie-break), both compared as SQLite compares text. */
function ordered(rows: Truth[], direction: 'asc' | 'desc'): string[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...rows].sort((a, b) => cmp(a.issuedOn, b.issuedOn) || cmp(a.id, b.id));
  return (direction === 'asc' ? sorted : sorted.reverse()).map((r) => r.id);
}

type Filters = Omit<MethodInput<'invoices.list'>, 'cursor' | 'limit' | 'direction'>;

/** Walks every page both ways and checks each walk against the expected rows. */
async function expectWalks(filters: Filters, expected: Truth[]): Promise<InvoiceRow[]> {
  const desc = await listAll(k, { ...filters, direction: 'desc', limit: 100 });
  const asc = await listAll(k, { ...filters, direction: 'asc', limit: 100 });
  const descIds = desc.rows.map((r) => r.id);
  expect(new Set(descIds).size, 'no row twice').toBe(descIds.length);
  expect(descIds).toEqual(ordered(expected, 'desc'));
  expect(asc.rows.map((r) => r.id)).toEqual(ordered(expected, 'asc'));
  expect(desc.pages).toBe(Math.max(1, Math.ceil(expected.length / 100)));
  return desc.rows;
}

describe('walking the pages', () => {
  it('newest first and oldest first, 100 at a time, gives exactly the full ordered list', async () => {
    expect(truth.filter((t) => t.issuedOn === RENEWAL_DAY).length).toBeGreaterThan(200);
    const rows = await expectWalks({}, truth);
    expect(rows).toHaveLength(TOTAL);
    // What each row shows matches what was written.
    const byId = new Map(truth.map((t) => [t.id, t]));
    for (const row of rows) {
      const t = byId.get(row.id)!;
      expect([
        row.kind,
        row.status,
        row.number,
        row.issuedOn,
        row.dueOn,
        row.currency,
        row.grossMinor,
        row.organizationId,
      ]).toEqual([
        t.kind,
        t.status,
        t.number,
        t.issuedOn,
        t.dueOn,
        t.currency,
        t.grossMinor,
        t.organizationId,
      ]);
    }
  });

  it('keeps pages of the size asked for, and a small page size walks the ties of one day', async () => {
    const first = await k.ok('invoices.list', { limit: 100 });
    expect(first.rows).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const sameDay = truth.filter((t) => t.issuedOn === RENEWAL_DAY);
    const { rows, pages } = await listAll(k, {
      from: RENEWAL_DAY,
      to: RENEWAL_DAY,
      direction: 'asc',
      limit: 7,
    });
    expect(rows.map((r) => r.id)).toEqual(ordered(sameDay, 'asc'));
    expect(pages).toBe(Math.ceil(sameDay.length / 7));
  });

  it('refuses a cursor it did not make', async () => {
    await k.fails('invoices.list', { cursor: 'bm90LWEtY3Vyc29y' }, 'invalid_input');
  });
});

describe('filters', () => {
  /**
   * A filter by status: credit notes (born "paid") and issued pro formas ("unpaid") read
   * "Issued" and are left out of it (issue 14, defect 9).
   */
  const hasStatus = (t: Truth, statuses: readonly string[]) =>
    statuses.includes(t.status) &&
    !(t.kind === 'credit_note' && t.status === 'paid') &&
    !(t.kind === 'pro_forma' && t.status === 'unpaid');

  it('by status', async () => {
    const open = ['unpaid', 'partially_paid'] as const;
    const rows = await expectWalks(
      { statuses: [...open] },
      truth.filter((t) => hasStatus(t, open)),
    );
    expect(rows.length).toBeGreaterThan(300);
    await expectWalks(
      { statuses: ['draft'] },
      truth.filter((t) => t.status === 'draft'),
    );
  });

  it('by period, both ends included', async () => {
    const from = '2025-12-01';
    const to = '2025-12-31';
    const expected = truth.filter((t) => t.issuedOn >= from && t.issuedOn <= to);
    // The bounds are days with invoices on them: they must be in.
    expect(expected.some((t) => t.issuedOn === from) && expected.some((t) => t.issuedOn === to)).toBe(true);
    await expectWalks({ from, to }, expected);
    await expectWalks(
      { from: RENEWAL_DAY },
      truth.filter((t) => t.issuedOn >= RENEWAL_DAY),
    );
    await expectWalks(
      { to: FIRST_DAY },
      truth.filter((t) => t.issuedOn <= FIRST_DAY),
    );
  });

  it('by organization, and combined with status and period', async () => {
    const [a, b] = payers as [(typeof payers)[number], (typeof payers)[number]];
    await expectWalks(
      { organizationId: a.id },
      truth.filter((t) => t.organizationId === a.id),
    );
    await expectWalks(
      { organizationId: b.id, statuses: ['paid', 'refunded'], from: '2025-10-15' },
      truth.filter(
        (t) =>
          t.organizationId === b.id && hasStatus(t, ['paid', 'refunded']) && t.issuedOn >= '2025-10-15',
      ),
    );
  });

  it('overdue: open invoices past their due date', async () => {
    const expected = truth.filter(
      (t) =>
        t.kind === 'invoice' &&
        (t.status === 'unpaid' || t.status === 'partially_paid') &&
        t.dueOn !== null &&
        t.dueOn < TODAY,
    );
    expect(expected.length).toBeGreaterThan(100);
    const rows = await expectWalks({ overdue: true }, expected);
    expect(rows.every((r) => r.overdue)).toBe(true);
    // And the rows that are not overdue say so.
    const { rows: recent } = await listAll(k, {
      from: '2026-02-20',
      statuses: ['unpaid'],
      direction: 'desc',
      limit: 100,
    });
    expect(recent.length).toBeGreaterThan(0);
    expect(
      recent.every((r) => r.overdue === (r.kind === 'invoice' && r.dueOn !== null && r.dueOn < TODAY)),
    ).toBe(true);
  });

  it('by text in the number, case and wildcards taken literally', async () => {
    const matching = (text: string) =>
      truth.filter((t) => t.number?.toLowerCase().includes(text.toLowerCase()));
    for (const text of ['INV-KEYS-2026-', 'cn-keys-2025', '-00012', 'B0B0B0-000007']) {
      const expected = matching(text);
      expect(expected.length, text).toBeGreaterThan(0);
      await expectWalks({ search: text }, expected);
    }
    await expectWalks({ search: 'INV_2026%' }, []);
  });
});

describe('invoices.totals', () => {
  /** What a user can add up from the list: pro formas aside, credit notes subtracted. */
  function sumOf(rows: InvoiceRow[], withProFormas: boolean) {
    const totals = new Map<
      string,
      { count: number; netMinor: number; vatMinor: number; grossMinor: number; paidMinor: number }
    >();
    for (const row of rows) {
      if (row.kind === 'pro_forma' && !withProFormas) continue;
      const sign = row.kind === 'credit_note' ? -1 : 1;
      const t = totals.get(row.currency) ?? {
        count: 0,
        netMinor: 0,
        vatMinor: 0,
        grossMinor: 0,
        paidMinor: 0,
      };
      t.count++;
      t.netMinor += sign * row.netMinor;
      t.vatMinor += sign * row.vatMinor;
      t.grossMinor += sign * row.grossMinor;
      t.paidMinor += row.kind === 'credit_note' ? 0 : row.paidMinor;
      totals.set(row.currency, t);
    }
    return [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, ...t }));
  }

  it('equal the sum over the listed rows, per currency, whatever the filter', async () => {
    const cases: Filters[] = [
      {},
      { statuses: ['unpaid', 'partially_paid'] },
      { from: '2025-12-01', to: '2025-12-31' },
      { organizationId: payers[3]!.id },
      { overdue: true },
      { search: 'CN-2026' },
      { kinds: ['pro_forma'] },
      { kinds: ['invoice', 'credit_note'], currency: 'EUR' },
    ];
    for (const filters of cases) {
      const { rows } = await listAll(k, { ...filters, direction: 'desc', limit: 1000 });
      const totals = await k.ok('invoices.totals', filters);
      expect(totals, JSON.stringify(filters)).toEqual(
        sumOf(rows, (filters.kinds ?? []).includes('pro_forma')),
      );
    }
    // Never summed across currencies.
    const all = await k.ok('invoices.totals', {});
    expect(all.map((t) => t.currency)).toEqual(['CHF', 'EUR']);
  });
});
