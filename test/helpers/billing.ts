// Billing-run worlds for the tests (issue 12): a provider, a partner and clients in every
// partnership case, products of every frequency — and an independent computation of what a
// billing run must bill, written from DOMAIN.md's rules, not from core/services/billing.
import type { JobResult, MethodInput, MethodOutput } from '#core/api/contract';
import type { JobView } from '#core/services/jobs.service';
import { setUpProvider } from './invoices';
import type { TestKontor } from './kontor';
import { seedOrganization } from './seed';

export type Plan = MethodOutput<'renewals.preview'>;

/** renewals.run as a person starts it: the job, polled to its end. */
export type RunReport = JobResult<'renewals.run'>;

export async function runBilling(k: TestKontor, input: MethodInput<'renewals.run'>): Promise<RunReport> {
  const started = (await k.ok('renewals.run', input)) as JobView;
  for (;;) {
    const job = (await k.ok('jobs.get', { jobId: started.id })) as JobView | null;
    if (!job) throw new Error('job gone');
    if (job.state === 'done') return job.result as RunReport;
    if (job.state !== 'running') throw new Error(`job ${job.state}: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type Case = 'plain' | 'complete_client' | 'complete_partner' | 'limited_managed' | 'limited_other';
export const CASES: readonly Case[] = [
  'plain',
  'complete_client',
  'complete_partner',
  'limited_managed',
  'limited_other',
];

export interface Book {
  providerId: string;
  partnerId: string;
  /** Client organization per case (limited_managed and limited_other share one client). */
  clients: Record<Case, string>;
  partnershipIds: Partial<Record<Case, string>>;
  /** The discount the firm gives the partner, and the degressive tiers (web hosting). */
  discountBp: number;
  tiers: { minQuantity: number; rateBp: number }[];
  products: BookProduct[];
}

export interface BookProduct {
  id: string;
  case: Case;
  organizationId: string;
  kind: 'web_hosting' | 'domain' | 'mail_hosting';
  publicPriceMinor: number;
  frequency: 'monthly' | 'quarterly' | 'annual';
  nextRenewalOn: string;
  autoRenew: boolean;
}

async function as(k: TestKontor, personId: string | null) {
  await k.ok('settings.setActingPerson', { personId });
}

/** The world: every case of DOMAIN.md's "Partner money", in CHF, issued by a Swiss provider. */
export async function buildBook(
  k: TestKontor,
  products: Omit<BookProduct, 'id' | 'organizationId'>[],
): Promise<Book> {
  const providerId = await setUpProvider(k);
  const partner = await seedOrganization(k, { name: 'Agence Alpha', products: 0, tags: 0 });
  const plain = await seedOrganization(k, { name: 'Client Seul', products: 0, tags: 0 });
  const cc = await seedOrganization(k, { name: 'Client Paie', products: 0, tags: 0 });
  const cp = await seedOrganization(k, { name: 'Client Géré', products: 0, tags: 0 });
  const lim = await seedOrganization(k, { name: 'Client Limité', products: 0, tags: 0 });
  const clients: Record<Case, string> = {
    plain: plain.organizationId,
    complete_client: cc.organizationId,
    complete_partner: cp.organizationId,
    limited_managed: lim.organizationId,
    limited_other: lim.organizationId,
  };
  const discountBp = 2_000;
  const tiers = [
    { minQuantity: 1, rateBp: 0 },
    { minQuantity: 2, rateBp: 1_000 },
    { minQuantity: 4, rateBp: 2_500 },
  ];
  for (const kind of ['web_hosting', 'mail_hosting', 'domain'] as const)
    await k.ok('partners.setDiscount', {
      partnerOrganizationId: partner.organizationId,
      productKind: kind,
      discountBp,
    });
  await k.ok('partners.setDegressiveTiers', { productKind: 'web_hosting', tiers });
  await k.ok('partners.setDegressiveTiers', { productKind: 'mail_hosting', tiers });
  const made: BookProduct[] = [];
  for (const p of products) {
    const organizationId = clients[p.case];
    const created = await k.ok('products.create', {
      organizationId,
      kind: p.kind,
      name: `${p.case} ${p.kind} ${p.frequency} ${made.length + 1}`,
      publicPriceMinor: p.publicPriceMinor,
      billingFrequency: p.frequency,
      nextRenewalOn: p.nextRenewalOn,
      autoRenew: p.autoRenew,
    });
    made.push({ ...p, id: created.id, organizationId });
  }
  const partnershipIds: Partial<Record<Case, string>> = {};
  const link = async (
    client: typeof cc,
    access: 'limited' | 'complete',
    payment?: 'client' | 'partner',
    productIds?: string[],
  ) => {
    await as(k, partner.personIds[0]!);
    const p = await k.ok('partners.inviteClient', {
      partnerOrganizationId: partner.organizationId,
      clientOrganizationId: client.organizationId,
      access,
      payment,
    });
    await as(k, client.personIds[0]!);
    await k.ok('partners.accept', { partnershipId: p.id, productIds });
    await as(k, null);
    return p.id;
  };
  partnershipIds.complete_client = await link(cc, 'complete', 'client');
  partnershipIds.complete_partner = await link(cp, 'complete', 'partner');
  const managed = made.filter((p) => p.case === 'limited_managed').map((p) => p.id);
  partnershipIds.limited_managed = await link(
    lim,
    'limited',
    undefined,
    managed.length ? managed : undefined,
  );
  return {
    providerId,
    partnerId: partner.organizationId,
    clients,
    partnershipIds,
    discountBp,
    tiers,
    products: made,
  };
}

// ── The independent computation ────────────────────────────────────────────────────────

/** round(p × (1 − a) × (1 − b)), half away from zero: the seeds' "applied to what remains". */
export function reduceExact(publicMinor: number, aBp: number, bBp: number): number {
  const num = BigInt(publicMinor) * BigInt(10_000 - aBp) * BigInt(10_000 - bBp);
  const den = 100_000_000n;
  const q = num / den;
  return Number((num % den) * 2n >= den ? q + 1n : q);
}

/** Calendar months on ISO dates, the last day of a shorter month when the day does not exist. */
export function plusMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
export const plusDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const MONTHS_OF = { monthly: 1, quarterly: 3, annual: 12 } as const;

export interface Expected {
  payer: string;
  /** One period's price excl. VAT and the partner's cashback on it. */
  unitMinor: number;
  cashbackMinor: number;
}

/**
 * DOMAIN.md, case by case: who pays a renewal, what, and what the partner earns. Volume for the
 * degressive rate: the client's active products of that kind.
 */
export function expectedTerms(book: Book, p: BookProduct, volume: number): Expected {
  const tierRate =
    p.kind === 'domain' ? 0 : ([...book.tiers].reverse().find((t) => t.minQuantity <= volume)?.rateBp ?? 0);
  const publicLessVolume = reduceExact(p.publicPriceMinor, tierRate, 0);
  const preferential = reduceExact(p.publicPriceMinor, book.discountBp, tierRate);
  switch (p.case) {
    case 'plain':
    case 'limited_other':
      return { payer: p.organizationId, unitMinor: publicLessVolume, cashbackMinor: 0 };
    case 'complete_client':
    case 'limited_managed':
      return {
        payer: p.organizationId,
        unitMinor: publicLessVolume,
        cashbackMinor: publicLessVolume - preferential,
      };
    case 'complete_partner':
      // The partner renews with its own methods: it pays its preferential price, no cashback.
      return { payer: book.partnerId, unitMinor: preferential, cashbackMinor: 0 };
  }
}

/** Every period start of a product that runs up to `date` must bill: from its first renewal on. */
export function expectedStarts(
  p: Pick<BookProduct, 'nextRenewalOn' | 'frequency'>,
  date: string,
  horizonDays: number,
): string[] {
  const limit = plusDays(date, horizonDays);
  const out: string[] = [];
  let s = p.nextRenewalOn;
  while (s < date) {
    out.push(s);
    s = plusMonths(s, MONTHS_OF[p.frequency]);
  }
  if (s <= limit) out.push(s);
  return out;
}
