// ARCHITECTURE.md: "Every mutation writes an activity row and, where synced, a change-log row,
// in the same transaction." This walks EVERY mutating method of the contract: each must leave
// an activity row (right action, organization, product) and one change-log row per changed
// field, stamped with HLC timestamps that only go up; a refused call must leave nothing.
// A mutating method added to the contract without a case here fails the first test.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallName, MethodInput, MethodOutput } from '#core/api/contract';
import { camt } from '../helpers/camt';
import { createDraft, createPayer, issueInvoice, line, setUpProvider } from '../helpers/invoices';
import { count, type TestKontor, useTempSpace } from '../helpers/kontor';
import { columnNames } from '../helpers/migrations';
import { type SeededOrganization, seedOrganization } from '../helpers/seed';

const space = useTempSpace('kontor-recorded-');

/**
 * Methods that mutate but are not master-data writes: they swap or configure the store, start
 * or (jobs.cancel) abort a background export, a job that lives in memory only (jobs.service):
 * no stored row changes, so there is nothing to record and nothing to sync.
 */
const NOT_RECORDED = (name: string) =>
  name === 'system.restore' ||
  name === 'system.restoreUpload' ||
  // Jobs write files (an export, a pack), never a stored row.
  name === 'exports.start' ||
  name === 'exports.packJob' ||
  name.startsWith('settings.') ||
  name === 'jobs.cancel' ||
  // Configure the hub and run a round: sync state, not data; what a round applies is the
  // hub's changes, recorded in change_log with their hub sequence (test/integration/sync-*).
  name === 'sync.configure' ||
  name === 'sync.now' ||
  // Stopping a round changes sync state only; what the round applied is recorded as above.
  name === 'sync.cancel' ||
  // A dry run of issuing, rolled back: nothing stays written (einvoice-issue-check proves it).
  name === 'invoices.checkIssue' ||
  // The CSV import's preview is its dry run, rolled back: nothing stays written (a mutation by
  // kind only so that the router lets it write inside the transaction it then undoes).
  name === 'imports.preview' ||
  // The same for "New invoice" before its first edit (drafts-never-lost.test.ts proves it).
  name === 'invoices.blank' ||
  // A background job: it answers before it writes. Each invoice it bills is written by the
  // same steps as orders.place's (billing/run.ts billGroup), which is recorded below, and
  // test/integration/billing-run.test.ts checks the run's activity per product.
  name === 'renewals.run' ||
  // Dismissing a waiting bank credit changes only this device's own list (statement_entries,
  // never synced, like received documents): an activity row, no change log.
  name === 'payments.dismissEntry' ||
  // The demo calls the recorded methods themselves through a router (each has its case here),
  // and only into an empty database (firm-setup.test.ts).
  name === 'firm.loadDemo' ||
  // Received documents stay on the device that imported them (db/schema/received.ts): an
  // activity row each, no change log, nothing to sync (einvoice-receive tests them).
  name.startsWith('received.') ||
  // E-mail settings, templates and the outbox are this device's own (db/schema/mail.ts, never
  // synced): a message the server accepted writes one activity row, no change log
  // (mail-send.test.ts reads it back).
  name.startsWith('mail.') ||
  // A reminder e-mailed goes through the same outbox (reminder-mail.test.ts reads it back).
  name === 'reminders.send';

interface World {
  k: TestKontor;
  a: SeededOrganization;
  b: SeededOrganization;
  /** The provider chosen in settings: it issues the invoices (Swiss, with an IBAN). */
  providerId: string;
  /** The organization the invoices are addressed to (a Swiss company with a billing address). */
  payer: { id: string; name: string; addressId: string | null };
  n: number;
}

/** One recorded change: one activity row and its change-log rows, sharing one HLC. */
interface Expected {
  table: string;
  rowId: string;
  /**
   * The fields that must each have a change-log row: 'insert' means every column of the row.
   * Two entries are not columns, where the write path logs one value for several fields:
   *  - 'lines' (invoices): a draft's lines travel as ONE last-writer-wins value (writeLines),
   *    checked against the invoice_lines rows now stored;
   *  - '*' (payments, ledger_entries): money records are append-only, so their one change-log
   *    row carries the whole record, checked against the stored row; an invoice the billing
   *    run issues (billing/issued-whole.ts) logs its whole row with no value, read at push time.
   * An empty list: a step recorded in the activity whose fields travel inside an earlier
   * whole-row change of the same row (a billed invoice's lines, totals and issue).
   */
  columns: string[] | 'insert';
  organizationId: string | null;
  productId?: string | null;
  /**
   * The action of this change when the call runs several steps that each say what they did
   * (a credit note is created, issued, then applied); by default the case's action.
   */
  action?: string;
}

/**
 * The bulk path (insertInvoicesBulk: imports of invoices) records a batch, not changes, and
 * does not fit Expected: per invoice ONE change-log row, column '*', value NULL ("the whole
 * row, read at push time"), each with its own HLC; and ONE activity row per batch (entity_id:
 * the batch's first invoice, its organization when the batch has one, no product,
 * after: { count }), all sharing ONE HLC: the batch is one change, as the fields of an
 * ordinary write are.
 */
interface ExpectedBatch {
  batch: 'invoices';
  /** The invoices of the batch, in the order they were written. */
  rowIds: string[];
}

type Expectation = Expected | ExpectedBatch;
const isBatch = (e: Expectation): e is ExpectedBatch => 'batch' in e;

/**
 * How a call is refused: with the code the user sees, or (imports.run, which reports bad rows
 * instead of failing) with a result that says so; either way nothing is written.
 */
type Refusal<M extends CallName> =
  | { input: MethodInput<M>; code: string }
  | { input: MethodInput<M>; reported(result: MethodOutput<M>): void };

interface Case<M extends CallName = CallName> {
  action: string;
  arrange(w: World): Promise<{ input: MethodInput<M>; expect(result: MethodOutput<M>): Expectation[] }>;
  /** A call the schema accepts but the service refuses. */
  refused(w: World): Promise<Refusal<M>>;
}

const uniq = (w: World, what: string) => `${what}-${++w.n}`;

async function freshProduct(w: World, extra: Partial<MethodInput<'products.create'>> = {}) {
  return w.k.ok('products.create', {
    organizationId: w.a.organizationId,
    kind: 'domain',
    name: uniq(w, 'domain.ch'),
    publicPriceMinor: 1_500,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
    ...extra,
  });
}
async function freshTag(w: World) {
  return w.k.ok('tags.create', { organizationId: w.a.organizationId, name: uniq(w, 'tag') });
}
async function freshMember(w: World, role: MethodInput<'members.add'>['role'] = 'administrator') {
  return w.k.ok('members.add', {
    organizationId: w.a.organizationId,
    email: `${uniq(w, 'm')}@example.ch`,
    role,
  });
}
async function freshAddress(w: World, isDefault = false) {
  return w.k.ok('addresses.create', {
    organizationId: w.a.organizationId,
    label: uniq(w, 'Filiale'),
    recipient: 'Hôtel du Lac SA',
    line1: 'Quai 2',
    postalCode: '1820',
    city: 'Montreux',
    country: 'CH',
    isDefault,
  });
}
async function freshTeam(w: World) {
  const leader = await freshMember(w, 'member');
  const member = await freshMember(w, 'member');
  const product = await freshProduct(w);
  const team = await w.k.ok('teams.create', {
    organizationId: w.a.organizationId,
    name: uniq(w, 'Équipe'),
    leaderPersonId: leader.personId,
    memberIds: [member.personId],
    productIds: [product.id],
  });
  return { team, leader, member, product };
}

// Invoices are addressed to w.payer and issued by the provider chosen in settings.
async function payerProduct(w: World) {
  return freshProduct(w, { organizationId: w.payer.id });
}
async function freshDraft(w: World, lines = [line(10_000)]) {
  return createDraft(w.k, w.payer.id, lines);
}
async function freshInvoice(w: World, lines = [line(10_000)]) {
  return issueInvoice(w.k, w.payer.id, lines);
}
async function freshProForma(w: World) {
  const product = await payerProduct(w);
  return w.k.ok('invoices.proForma', { organizationId: w.payer.id, productIds: [product.id] });
}
async function topUp(w: World, amountMinor: number) {
  return w.k.ok('ledger.topUp', { organizationId: w.payer.id, amountMinor });
}
const invoicesCsv = (...rows: string[]) =>
  Buffer.from(['Invoice number,Customer,Date,Total,Currency', ...rows].join('\r\n')).toString('base64');
/** The id of the one row a query finds (a payment, a ledger entry the call wrote). */
function oneId(w: World, sql: string, ...params: unknown[]): string {
  const rows = w.k.raw.prepare(sql).all(...params) as { id: string }[];
  expect(rows, sql).toHaveLength(1);
  return rows[0]!.id;
}

const TOTALS = ['net_minor', 'vat_minor', 'gross_minor'];
/**
 * What issuing records: it is a command, not a field edit (invoices.service logIssueCommand),
 * so the whole document as issued travels under the issue's HLC: every column but the id and
 * the local bookkeeping and derived values (db/sync/tables.ts DERIVED_COLUMNS), its lines, and
 * no tombstone.
 */
function issuedColumns(w: World): string[] {
  const derived = ['net_minor', 'vat_minor', 'gross_minor', 'paid_minor'];
  return [
    ...columnNames(w.k.raw, 'invoices').filter((c) => !['id', 'updated_at', ...derived].includes(c)),
    'lines',
  ];
}

/**
 * An invoice the billing run (or an order) issues: the draft's steps and the issue recorded in
 * the activity as the ordinary services record them, the document itself in the change log as
 * ONE whole-row change at the draft's clock (billing/issued-whole.ts): what travels is the
 * issued document, never the draft nobody else saw.
 */
function billedWhole(w: World, invoiceId: string, action: string): Expected[] {
  const row = { table: 'invoices', rowId: invoiceId, organizationId: w.payer.id, productId: null };
  return [
    { ...row, columns: ['*'], action },
    { ...row, columns: [], action },
    { ...row, columns: [], action },
  ];
}

/**
 * A draft as createInvoice records it: three changes to one row, each its own activity row
 * and HLC: the row (every column), its lines (one value, see Expected), then the totals the
 * lines give.
 */
function drafted(w: World, invoiceId: string, action?: string): Expected[] {
  const row = { table: 'invoices', rowId: invoiceId, organizationId: w.payer.id, productId: null };
  const step = action ? { action } : {};
  return [
    { ...row, columns: 'insert', ...step },
    { ...row, columns: ['lines'], ...step },
    { ...row, columns: TOTALS, ...step },
  ];
}

const id = (r: unknown) => (r as { id: string }).id;
const emailOf = (w: World, personId: string) =>
  (w.k.raw.prepare('SELECT email FROM people WHERE id = ?').get(personId) as { email: string }).email;

const CASES: { [M in CallName]?: Case<M> } = {
  'organizations.create': {
    action: 'organization.created',
    arrange: async () => ({
      input: { kind: 'company', name: 'Neue GmbH', country: 'DE', currency: 'EUR', vatNumber: 'DE136695976' },
      expect: (r) => [
        { table: 'organizations', rowId: id(r), columns: 'insert', organizationId: id(r), productId: null },
      ],
    }),
    refused: async () => ({
      input: { kind: 'company', name: 'Faux GmbH', country: 'DE', currency: 'EUR', vatNumber: 'DE136695977' },
      code: 'vat_invalid',
    }),
  },
  'organizations.update': {
    action: 'organization.updated',
    arrange: async (w) => {
      const org = await w.k.ok('organizations.create', {
        kind: 'company',
        name: 'Vieux nom',
        country: 'FR',
        currency: 'EUR',
      });
      return {
        input: { id: org.id, name: 'Nouveau nom', renewalReminderDays: 30, country: 'FR' },
        expect: () => [
          {
            table: 'organizations',
            rowId: org.id,
            columns: ['name', 'renewal_reminder_days'],
            organizationId: org.id,
          },
        ],
      };
    },
    // The currency of an organization with products cannot change.
    refused: async (w) => ({ input: { id: w.a.organizationId, currency: 'EUR' }, code: 'currency_mismatch' }),
  },
  'organizations.delete': {
    action: 'organization.deleted',
    arrange: async (w) => {
      const org = await w.k.ok('organizations.create', {
        kind: 'individual',
        name: 'Éphémère',
        country: 'CH',
        currency: 'CHF',
      });
      return {
        input: { id: org.id },
        expect: () => [
          { table: 'organizations', rowId: org.id, columns: ['deleted_at'], organizationId: org.id },
        ],
      };
    },
    // Refused inside the write: it still holds products.
    refused: async (w) => ({ input: { id: w.a.organizationId }, code: 'organization_has_products' }),
  },
  'people.create': {
    action: 'person.created',
    arrange: async (w) => ({
      input: { name: 'Zoé Martin', email: `${uniq(w, 'zoe')}@example.ch` },
      expect: (r) => [
        { table: 'people', rowId: id(r), columns: 'insert', organizationId: null, productId: null },
      ],
    }),
    refused: async (w) => ({
      input: { name: 'Anne Bis', email: emailOf(w, w.a.personIds[0]!) },
      code: 'email_taken',
    }),
  },
  'people.update': {
    action: 'person.updated',
    arrange: async (w) => {
      const p = await w.k.ok('people.create', { name: 'Avant', email: `${uniq(w, 'p')}@example.ch` });
      return {
        input: { id: p.id, name: 'Après' },
        expect: () => [{ table: 'people', rowId: p.id, columns: ['name'], organizationId: null }],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.personIds[1]!, email: emailOf(w, w.a.personIds[0]!) },
      code: 'email_taken',
    }),
  },
  'members.add': {
    action: 'membership.added',
    arrange: async (w) => ({
      // By e-mail, for someone new: the person and the membership are both written.
      input: {
        organizationId: w.a.organizationId,
        email: `${uniq(w, 'new')}@example.ch`,
        role: 'accountant',
        external: true,
      },
      expect: (r) => {
        const m = r as { id: string; personId: string };
        return [
          { table: 'people', rowId: m.personId, columns: 'insert', organizationId: null, productId: null },
          {
            table: 'memberships',
            rowId: m.id,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
        ];
      },
    }),
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, personId: w.a.personIds[0]!, role: 'member' },
      code: 'already_member',
    }),
  },
  'members.changeRole': {
    action: 'membership.role_changed',
    arrange: async (w) => {
      const m = await freshMember(w);
      return {
        input: { organizationId: w.a.organizationId, personId: m.personId, role: 'accountant' },
        expect: () => [
          { table: 'memberships', rowId: m.id, columns: ['role'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.b.organizationId, personId: w.b.personIds[0]!, role: 'member' },
      code: 'last_legal_representative',
    }),
  },
  'members.remove': {
    action: 'membership.removed',
    arrange: async (w) => {
      const m = await freshMember(w);
      return {
        input: { organizationId: w.a.organizationId, personId: m.personId },
        expect: () => [
          { table: 'memberships', rowId: m.id, columns: ['deleted_at'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.b.organizationId, personId: w.b.personIds[0]! },
      code: 'last_legal_representative',
    }),
  },
  'addresses.create': {
    action: 'billing_address.created',
    arrange: async (w) => {
      const previous = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      expect(previous.isDefault).toBe(true);
      return {
        input: {
          organizationId: w.a.organizationId,
          label: 'Nouvelle adresse',
          recipient: 'Hôtel du Lac SA',
          line1: 'Avenue 3',
          postalCode: '1003',
          city: 'Lausanne',
          country: 'CH',
          isDefault: true,
        },
        expect: (r) => [
          {
            table: 'billing_addresses',
            rowId: previous.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
          { table: 'billing_addresses', rowId: id(r), columns: 'insert', organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async () => ({
      input: {
        organizationId: 'nowhere',
        label: 'X',
        recipient: 'X',
        line1: 'X',
        postalCode: '1',
        city: 'X',
        country: 'CH',
      },
      code: 'organization_not_found',
    }),
  },
  'addresses.update': {
    action: 'billing_address.updated',
    arrange: async (w) => {
      const address = await freshAddress(w);
      return {
        input: { id: address.id, city: 'Vevey', line2: 'Case postale 12' },
        expect: () => [
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['city', 'line2'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-address', city: 'X' }, code: 'address_not_found' }),
  },
  'firm.save': {
    action: 'organization.updated',
    arrange: async (w) => {
      const provider = await w.k.ok('organizations.get', { id: w.providerId });
      const address = (await w.k.ok('addresses.list', { organizationId: w.providerId }))[0]!;
      return {
        // The firm as set up, with a footer, a language and a new town: only those change.
        input: {
          name: provider.name,
          country: 'CH',
          currency: 'CHF',
          taxId: provider.uid,
          iban: provider.iban,
          paymentTermDays: provider.paymentTermDays,
          documentLocale: 'fr',
          invoiceFooter: uniq(w, 'Merci de votre confiance'),
          street: address.street ?? '',
          buildingNumber: address.buildingNumber,
          postalCode: address.postalCode,
          city: uniq(w, 'Carouge'),
        },
        expect: () => [
          {
            table: 'organizations',
            rowId: w.providerId,
            columns: ['invoice_footer', 'document_locale'],
            organizationId: w.providerId,
          },
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['city'],
            organizationId: w.providerId,
            action: 'billing_address.updated',
          },
        ],
      };
    },
    refused: async (w) => {
      const provider = await w.k.ok('organizations.get', { id: w.providerId });
      return {
        input: {
          name: provider.name,
          country: 'CH',
          currency: 'CHF',
          iban: 'CH00 0000 0000 0000 0000 0',
          paymentTermDays: 30,
          documentLocale: 'fr',
          street: 'Rue',
          postalCode: '1227',
          city: 'Carouge',
        },
        code: 'issuer_iban_invalid',
      };
    },
  },
  'addresses.setDefault': {
    action: 'billing_address.default_changed',
    arrange: async (w) => {
      const previous = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      const address = await freshAddress(w);
      return {
        input: { id: address.id },
        expect: () => [
          {
            table: 'billing_addresses',
            rowId: previous.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['is_default'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-address' }, code: 'address_not_found' }),
  },
  'addresses.delete': {
    action: 'billing_address.deleted',
    arrange: async (w) => {
      const address = await freshAddress(w);
      const product = await freshProduct(w, { billingAddressId: address.id });
      return {
        input: { id: address.id },
        expect: () => [
          // The product renewing under it falls back to the default address: recorded too.
          {
            table: 'products',
            rowId: product.id,
            columns: ['billing_address_id'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'billing_addresses',
            rowId: address.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async (w) => {
      const current = (await w.k.ok('addresses.list', { organizationId: w.a.organizationId }))[0]!;
      return { input: { id: current.id }, code: 'default_address_required' };
    },
  },
  'products.create': {
    action: 'product.created',
    arrange: async (w) => {
      const [t1, t2] = [await freshTag(w), await freshTag(w)];
      return {
        input: {
          organizationId: w.a.organizationId,
          kind: 'mail_hosting',
          name: 'Mail Pro',
          publicPriceMinor: 4_800,
          billingFrequency: 'quarterly',
          nextRenewalOn: '2026-07-01',
          autoRenew: false,
          tagIds: [t1.id, t2.id],
        },
        expect: (r) => [
          {
            table: 'products',
            rowId: id(r),
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
          {
            table: 'product_tags',
            rowId: `${id(r)}:${t1.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
          {
            table: 'product_tags',
            rowId: `${id(r)}:${t2.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: id(r),
          },
        ],
      };
    },
    // Refused half-way: the product and its first tag are already written when the second
    // tag turns out not to exist. The whole transaction must go.
    refused: async (w) => ({
      input: {
        organizationId: w.a.organizationId,
        kind: 'domain',
        name: 'half-written.ch',
        publicPriceMinor: 100,
        billingFrequency: 'annual',
        nextRenewalOn: '2027-01-01',
        tagIds: [w.a.tagIds[0]!, 'no-such-tag'],
      },
      code: 'tag_not_found',
    }),
  },
  'products.update': {
    action: 'product.updated',
    arrange: async (w) => {
      const p = await freshProduct(w);
      return {
        input: { id: p.id, name: 'renamed.ch', publicPriceMinor: 1_990, status: 'expired', autoRenew: true },
        expect: () => [
          // autoRenew was already true: not a change, not logged.
          {
            table: 'products',
            rowId: p.id,
            columns: ['name', 'public_price_minor', 'status'],
            organizationId: w.a.organizationId,
            productId: p.id,
          },
        ],
      };
    },
    refused: async (w) => {
      const p = await freshProduct(w, { nextRenewalOn: '2027-12-31' });
      return {
        input: { id: p.id, billingFrequency: 'monthly', name: 'never.ch' },
        code: 'frequency_change_rebills',
      };
    },
  },
  'products.delete': {
    action: 'product.deleted',
    arrange: async (w) => {
      const p = await freshProduct(w);
      return {
        input: { id: p.id },
        expect: () => [
          {
            table: 'products',
            rowId: p.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p.id,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-product' }, code: 'product_not_found' }),
  },
  'tags.create': {
    action: 'tag.created',
    arrange: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'Nouvelle étiquette', color: '#112233' },
      expect: (r) => [
        {
          table: 'tags',
          rowId: id(r),
          columns: 'insert',
          organizationId: w.a.organizationId,
          productId: null,
        },
      ],
    }),
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'ÉTIQUETTE 1' },
      code: 'tag_name_taken',
    }),
  },
  'tags.rename': {
    action: 'tag.renamed',
    arrange: async (w) => {
      const t = await freshTag(w);
      return {
        input: { tagId: t.id, name: 'Renommée' },
        expect: () => [
          { table: 'tags', rowId: t.id, columns: ['name', 'name_key'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({ input: { tagId: w.a.tagIds[1]!, name: 'étiquette 1' }, code: 'tag_name_taken' }),
  },
  'tags.recolor': {
    action: 'tag.recolored',
    arrange: async (w) => {
      const t = await freshTag(w);
      return {
        input: { tagId: t.id, color: '#ABCDEF' },
        expect: () => [
          { table: 'tags', rowId: t.id, columns: ['color'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async () => ({ input: { tagId: 'no-such-tag', color: '#000000' }, code: 'tag_not_found' }),
  },
  'tags.delete': {
    action: 'tag.deleted',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      await w.k.ok('tags.assign', { tagId: t.id, productIds: [p1.id, p2.id] });
      return {
        input: { tagId: t.id },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
          {
            table: 'tags',
            rowId: t.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: null,
          },
        ],
      };
    },
    refused: async () => ({ input: { tagId: 'no-such-tag' }, code: 'tag_not_found' }),
  },
  'tags.assign': {
    action: 'tag.assigned',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      return {
        input: { tagId: t.id, productIds: [p1.id, p2.id, p1.id] },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { tagId: w.a.tagIds[0]!, productIds: [w.a.productIds[0]!, w.b.productIds[0]!] },
      code: 'product_wrong_organization',
    }),
  },
  'tags.unassign': {
    action: 'tag.unassigned',
    arrange: async (w) => {
      const t = await freshTag(w);
      const [p1, p2] = [await freshProduct(w), await freshProduct(w)];
      await w.k.ok('tags.assign', { tagId: t.id, productIds: [p1.id, p2.id] });
      return {
        input: { tagId: t.id, productIds: [p1.id, p2.id] },
        expect: () => [
          {
            table: 'product_tags',
            rowId: `${p1.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p1.id,
          },
          {
            table: 'product_tags',
            rowId: `${p2.id}:${t.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: p2.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { tagId: w.a.tagIds[0]!, productIds: ['no-such-product'] },
      code: 'product_not_found',
    }),
  },
  'teams.create': {
    action: 'team.created',
    arrange: async (w) => {
      const leader = await freshMember(w, 'member');
      const member = await freshMember(w, 'member');
      const product = await freshProduct(w);
      return {
        input: {
          organizationId: w.a.organizationId,
          name: 'Support',
          leaderPersonId: leader.personId,
          memberIds: [member.personId],
          productIds: [product.id],
        },
        expect: (r) => [
          {
            table: 'work_teams',
            rowId: id(r),
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_members',
            rowId: `${id(r)}:${leader.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_members',
            rowId: `${id(r)}:${member.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: null,
          },
          {
            table: 'work_team_products',
            rowId: `${id(r)}:${product.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: product.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { organizationId: w.a.organizationId, name: 'Intrus', memberIds: [w.b.personIds[0]!] },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.update': {
    action: 'team.updated',
    arrange: async (w) => {
      const { team } = await freshTeam(w);
      return {
        input: { id: team.id, name: 'Support niveau 2' },
        expect: () => [
          { table: 'work_teams', rowId: team.id, columns: ['name'], organizationId: w.a.organizationId },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, leaderPersonId: w.b.personIds[0]! },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.setMembers': {
    action: 'team.members_changed',
    arrange: async (w) => {
      const { team, member } = await freshTeam(w);
      const newcomer = await freshMember(w, 'member');
      return {
        input: { id: team.id, personIds: [newcomer.personId] },
        expect: () => [
          {
            table: 'work_team_members',
            rowId: `${team.id}:${member.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_members',
            rowId: `${team.id}:${newcomer.personId}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, personIds: [w.b.personIds[0]!] },
      code: 'team_member_not_in_organization',
    }),
  },
  'teams.setProducts': {
    action: 'team.products_changed',
    arrange: async (w) => {
      const { team, product } = await freshTeam(w);
      const other = await freshProduct(w);
      return {
        input: { id: team.id, productIds: [other.id] },
        expect: () => [
          {
            table: 'work_team_products',
            rowId: `${team.id}:${product.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'work_team_products',
            rowId: `${team.id}:${other.id}`,
            columns: 'insert',
            organizationId: w.a.organizationId,
            productId: other.id,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { id: w.a.teamIds[0]!, productIds: [w.b.productIds[0]!] },
      code: 'product_wrong_organization',
    }),
  },
  'teams.delete': {
    action: 'team.deleted',
    arrange: async (w) => {
      const { team, leader, member, product } = await freshTeam(w);
      return {
        input: { id: team.id },
        expect: () => [
          {
            table: 'work_team_members',
            rowId: `${team.id}:${leader.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_members',
            rowId: `${team.id}:${member.personId}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
          {
            table: 'work_team_products',
            rowId: `${team.id}:${product.id}`,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
            productId: product.id,
          },
          {
            table: 'work_teams',
            rowId: team.id,
            columns: ['deleted_at'],
            organizationId: w.a.organizationId,
          },
        ],
      };
    },
    refused: async () => ({ input: { id: 'no-such-team' }, code: 'team_not_found' }),
  },

  // ---- Invoicing, money and imports ----------------------------------------------------
  'invoices.create': {
    action: 'invoice.created',
    arrange: async (w) => ({
      input: {
        organizationId: w.payer.id,
        notes: 'Renouvellement 2026',
        lines: [line(10_000), line(2_500, { quantityMilli: 3_000, discountBp: 1_000 })],
      },
      expect: (r) => drafted(w, r.id),
    }),
    // Refused half-way: the draft is written when the line's product turns out to belong to
    // another organization. The whole transaction must go.
    refused: async (w) => ({
      input: { organizationId: w.payer.id, lines: [line(1_000, { productId: w.b.productIds[0]! })] },
      code: 'product_wrong_organization',
    }),
  },
  'invoices.updateDraft': {
    action: 'invoice.updated',
    arrange: async (w) => {
      const draft = await freshDraft(w);
      const row = { table: 'invoices', rowId: draft.id, organizationId: w.payer.id, productId: null };
      return {
        // The locale was already 'fr' (a Swiss payer's): not a change, not logged.
        input: {
          id: draft.id,
          notes: 'Selon offre',
          issuedOn: '2026-03-31',
          locale: 'fr',
          lines: [line(20_000), line(5_000)],
        },
        expect: () => [
          { ...row, columns: ['notes', 'issued_on'] },
          { ...row, columns: ['lines'] },
          { ...row, columns: TOTALS },
        ],
      };
    },
    refused: async (w) => {
      const issued = await freshInvoice(w);
      return { input: { id: issued.id, notes: 'Trop tard' }, code: 'invoice_not_draft' };
    },
  },
  'invoices.deleteDraft': {
    action: 'invoice.deleted',
    arrange: async (w) => {
      const draft = await freshDraft(w);
      return {
        input: { id: draft.id },
        expect: () => [
          {
            table: 'invoices',
            rowId: draft.id,
            columns: ['deleted_at'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => ({ input: { id: (await freshInvoice(w)).id }, code: 'invoice_not_draft' }),
  },
  'invoices.issue': {
    action: 'invoice.issued',
    arrange: async (w) => {
      const draft = await freshDraft(w);
      return {
        input: { id: draft.id },
        expect: () => [
          {
            table: 'invoices',
            rowId: draft.id,
            columns: issuedColumns(w),
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    // Nothing to bill: refused before a number is drawn (the series keeps no gap, see snapshot).
    refused: async (w) => ({
      input: { id: (await createDraft(w.k, w.payer.id, [])).id },
      code: 'invoice_empty',
    }),
  },
  'invoices.proForma': {
    action: 'invoice.created',
    arrange: async (w) => {
      const product = await payerProduct(w);
      return {
        input: { organizationId: w.payer.id, productIds: [product.id] },
        // Created as any draft is, then issued (issue: true by default), whole.
        expect: (r) => [
          ...drafted(w, r.id),
          {
            table: 'invoices',
            rowId: r.id,
            columns: issuedColumns(w),
            organizationId: w.payer.id,
            productId: null,
            action: 'invoice.issued',
          },
        ],
      };
    },
    // Refused before anything is written. (A refusal of the issuing step, e.g. a payer without
    // a billing address, comes after the draft is committed and leaves it behind: the draft and
    // the issue are two transactions there, unlike convertProForma and creditNote.)
    refused: async (w) => ({
      input: { organizationId: w.payer.id, productIds: [w.b.productIds[0]!] },
      code: 'product_wrong_organization',
    }),
  },
  'invoices.convertProForma': {
    action: 'invoice.converted',
    arrange: async (w) => {
      const proForma = await freshProForma(w);
      return {
        input: { id: proForma.id },
        expect: (r) => [
          // The invoice is created as any draft is, then linked to its pro forma, which closes.
          ...drafted(w, r.id, 'invoice.created'),
          {
            table: 'invoices',
            rowId: r.id,
            columns: ['converted_from_id'],
            organizationId: w.payer.id,
            productId: null,
          },
          {
            table: 'invoices',
            rowId: proForma.id,
            columns: ['status'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const proForma = await freshProForma(w);
      await w.k.ok('invoices.convertProForma', { id: proForma.id });
      return { input: { id: proForma.id }, code: 'pro_forma_closed' };
    },
  },
  'invoices.creditNote': {
    action: 'credit_note.created',
    arrange: async (w) => {
      // Partly paid, then credited in full: refunded, and what was paid goes back to the
      // prepaid account (a ledger entry written by the same call).
      const invoice = await freshInvoice(w);
      await w.k.ok('payments.record', {
        invoiceId: invoice.id,
        amountMinor: 5_000,
        currency: 'CHF',
        method: 'bank_transfer',
        receivedOn: '2026-03-14',
      });
      return {
        input: { invoiceId: invoice.id, notes: 'Annulation' },
        expect: (r) => {
          const refund = oneId(
            w,
            "SELECT id FROM ledger_entries WHERE invoice_id = ? AND kind = 'deposit'",
            invoice.id,
          );
          const scope = { organizationId: w.payer.id, productId: null };
          return [
            ...drafted(w, r.id),
            // Issued like any document: the whole document under the issue's HLC.
            {
              table: 'invoices',
              rowId: r.id,
              columns: issuedColumns(w),
              ...scope,
              action: 'invoice.issued',
            },
            // Born settled…
            {
              table: 'invoices',
              rowId: r.id,
              columns: ['status', 'paid_minor'],
              ...scope,
              action: 'credit_note.applied',
            },
            // …the 50.00 paid goes back to the prepaid account, and the invoice is refunded.
            {
              table: 'ledger_entries',
              rowId: refund,
              columns: ['*'],
              ...scope,
              action: 'credit_note.applied',
            },
            {
              table: 'invoices',
              rowId: invoice.id,
              columns: ['status'],
              ...scope,
              action: 'credit_note.applied',
            },
          ];
        },
      };
    },
    // A pro forma has no fiscal value: there is nothing to correct.
    refused: async (w) => ({
      input: { invoiceId: (await freshProForma(w)).id },
      code: 'credit_note_of_pro_forma',
    }),
  },
  'payments.importStatement': {
    action: 'statement.imported',
    arrange: async (w) => {
      const invoice = await freshInvoice(w);
      const xml = camt({
        kind: '054',
        version: '08',
        credits: [{ ref: uniq(w, 'BANK'), amount: '40.00', text: `Facture ${invoice.number}` }],
      });
      return {
        input: { fileName: 'camt.xml', contentBase64: Buffer.from(xml).toString('base64') },
        expect: (r) => [
          {
            table: 'payments',
            rowId: oneId(w, 'SELECT id FROM payments WHERE reference = ?', r.entries[0]!.key),
            columns: ['*'],
            organizationId: w.payer.id,
            productId: null,
          },
          {
            table: 'invoices',
            rowId: invoice.id,
            columns: ['paid_minor', 'status'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async () => ({
      input: { fileName: 'cut.xml', contentBase64: Buffer.from('<Document><BkToCstm').toString('base64') },
      code: 'statement_malformed',
    }),
  },
  'payments.assignEntry': {
    action: 'statement.entry_assigned',
    arrange: async (w) => {
      const ref = uniq(w, 'UNKNOWN');
      const xml = camt({
        kind: '054',
        version: '08',
        credits: [{ ref, amount: '12.00', text: 'sans référence' }],
      });
      await w.k.ok('payments.importStatement', {
        fileName: 'camt.xml',
        contentBase64: Buffer.from(xml).toString('base64'),
      });
      return {
        input: { entryId: `camt:${ref}`, organizationId: w.payer.id },
        expect: (r) => [
          { table: 'payments', rowId: r.id, columns: ['*'], organizationId: w.payer.id, productId: null },
          {
            table: 'ledger_entries',
            rowId: oneId(w, 'SELECT id FROM ledger_entries WHERE payment_id = ?', r.id),
            columns: ['*'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: { entryId: 'camt:nothing-waits', organizationId: w.payer.id },
      code: 'statement_entry_not_found',
    }),
  },
  'payments.record': {
    action: 'payment.recorded',
    arrange: async (w) => {
      const invoice = await freshInvoice(w);
      return {
        input: {
          invoiceId: invoice.id,
          amountMinor: 4_000,
          currency: 'CHF',
          method: 'bank_transfer',
          receivedOn: '2026-03-14',
          reference: 'Virement 1',
        },
        expect: (r) => [
          {
            table: 'payments',
            rowId: r.payment.id,
            columns: ['*'],
            organizationId: w.payer.id,
            productId: null,
          },
          // Applied to the invoice, now partly paid.
          {
            table: 'invoices',
            rowId: invoice.id,
            columns: ['paid_minor', 'status'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => ({
      input: {
        invoiceId: (await freshDraft(w)).id,
        amountMinor: 1_000,
        currency: 'CHF',
        method: 'bank_transfer',
        receivedOn: '2026-03-14',
      },
      code: 'invoice_not_payable',
    }),
  },
  'ledger.topUp': {
    action: 'prepaid.topped_up',
    arrange: async (w) => ({
      input: { organizationId: w.payer.id, amountMinor: 50_000, note: 'Avance' },
      expect: (r) => [
        { table: 'ledger_entries', rowId: r.id, columns: ['*'], organizationId: w.payer.id, productId: null },
      ],
    }),
    refused: async () => ({
      input: { organizationId: 'no-such-organization', amountMinor: 1_000 },
      code: 'organization_not_found',
    }),
  },
  'ledger.withdraw': {
    action: 'prepaid.withdrawn',
    arrange: async (w) => {
      await topUp(w, 20_000);
      return {
        input: { organizationId: w.payer.id, amountMinor: 5_000, method: 'paypal' },
        expect: (r) => [
          {
            table: 'ledger_entries',
            rowId: r.id,
            columns: ['*'],
            organizationId: w.payer.id,
            productId: null,
          },
        ],
      };
    },
    // Never below zero: one minor unit more than the balance.
    refused: async (w) => {
      const balances = await w.k.ok('ledger.balances', { organizationId: w.payer.id });
      const balance = balances.find((b) => b.currency === 'CHF')!.balanceMinor;
      return {
        input: { organizationId: w.payer.id, amountMinor: balance + 1 },
        code: 'prepaid_insufficient_balance',
      };
    },
  },
  'ledger.payInvoices': {
    action: 'prepaid.invoices_paid',
    arrange: async (w) => {
      await topUp(w, 50_000);
      const full = await freshInvoice(w);
      const part = await freshInvoice(w, [line(20_000)]);
      return {
        input: {
          organizationId: w.payer.id,
          items: [{ invoiceId: full.id }, { invoiceId: part.id, amountMinor: 1_000 }],
        },
        // Per invoice: the payment, the ledger debit that pays it, the invoice's amount paid
        // and status (paid for the first, partly paid for the second).
        expect: () =>
          [full, part].flatMap((invoice): Expected[] => {
            const payment = oneId(w, 'SELECT id FROM payments WHERE invoice_id = ?', invoice.id);
            const entry = oneId(w, 'SELECT id FROM ledger_entries WHERE payment_id = ?', payment);
            const scope = { organizationId: w.payer.id, productId: null };
            return [
              { table: 'payments', rowId: payment, columns: ['*'], ...scope },
              { table: 'ledger_entries', rowId: entry, columns: ['*'], ...scope },
              { table: 'invoices', rowId: invoice.id, columns: ['paid_minor', 'status'], ...scope },
            ];
          }),
      };
    },
    refused: async (w) => {
      await topUp(w, 50_000);
      const invoice = await freshInvoice(w);
      return {
        input: {
          organizationId: w.payer.id,
          items: [{ invoiceId: invoice.id, amountMinor: invoice.dueMinor + 1 }],
        },
        code: 'payment_exceeds_due',
      };
    },
  },
  'imports.run': {
    action: 'import.invoices',
    arrange: async (w) => {
      const [first, second] = [uniq(w, 'IMP'), uniq(w, 'IMP')];
      return {
        // Invoices come in as drafts through the bulk path: see ExpectedBatch.
        input: {
          kind: 'invoices',
          contentBase64: invoicesCsv(
            `${first},${w.payer.name},2026-01-31,100.00,CHF`,
            `${second},${w.payer.name},2026-02-28,50.00,CHF`,
          ),
        },
        expect: (r) => {
          expect(r).toMatchObject({ imported: 2, refused: false, errors: [] });
          const rowIds = [first, second].map((ref) =>
            oneId(w, 'SELECT id FROM invoices WHERE import_ref = ?', ref),
          );
          return [{ batch: 'invoices', rowIds }];
        },
      };
    },
    // One bad row (a customer nobody knows) and the whole file is refused: not an error, a
    // report that says so, and nothing written, not even the good row.
    refused: async (w) => ({
      input: {
        kind: 'invoices',
        contentBase64: invoicesCsv(
          `${uniq(w, 'IMP')},${w.payer.name},2026-01-31,100.00,CHF`,
          `${uniq(w, 'IMP')},Personne SA,2026-01-31,10.00,CHF`,
        ),
      },
      reported: (r) =>
        expect(r).toMatchObject({
          refused: true,
          imported: 0,
          errors: [{ line: 3, field: 'organization', code: 'import_organization_unknown' }],
        }),
    }),
  },
  'partners.inviteClient': {
    action: 'partnership.invited',
    arrange: async (w) => {
      const client = await partnerClient(w);
      await actAs(w, w.b.personIds[0]!);
      return {
        input: {
          partnerOrganizationId: w.b.organizationId,
          clientOrganizationId: client.id,
          access: 'complete',
          payment: 'client',
        },
        expect: (r) => [
          {
            table: 'partnerships',
            rowId: r.id,
            columns: 'insert',
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      await actAs(w, w.b.personIds[1]!);
      return {
        input: {
          partnerOrganizationId: w.b.organizationId,
          clientOrganizationId: w.a.organizationId,
          access: 'limited',
        },
        code: 'partner_not_legal_representative',
      };
    },
  },
  'partners.addPartner': {
    action: 'partnership.invited',
    arrange: async (w) => {
      const client = await partnerClient(w);
      await actAs(w, client.legalId);
      return {
        input: {
          clientOrganizationId: client.id,
          partnerOrganizationId: w.b.organizationId,
          access: 'limited',
          productIds: [client.productId],
        },
        expect: (r) => [
          {
            table: 'partnerships',
            rowId: r.id,
            columns: 'insert',
            organizationId: client.id,
            productId: null,
          },
          {
            table: 'partnership_products',
            rowId: `${r.id}:${client.productId}`,
            columns: 'insert',
            organizationId: client.id,
            productId: client.productId,
          },
        ],
      };
    },
    refused: async (w) => {
      await actAs(w, w.a.personIds[0]!);
      return {
        input: {
          clientOrganizationId: w.a.organizationId,
          partnerOrganizationId: w.a.organizationId,
          access: 'limited',
        },
        code: 'partnership_self',
      };
    },
  },
  'partners.accept': {
    action: 'partnership.accepted',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'invited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id },
        expect: () => [
          {
            table: 'partnerships',
            rowId: partnership.id,
            columns: ['status', 'responded_at', 'responded_by_person_id'],
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { partnership } = await partnershipOf(w, 'invited');
      await actAs(w, w.b.personIds[0]!);
      return { input: { partnershipId: partnership.id }, code: 'partner_not_legal_representative' };
    },
  },
  'partners.refuse': {
    action: 'partnership.refused',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'invited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id },
        expect: () => [
          {
            table: 'partnerships',
            rowId: partnership.id,
            columns: ['status', 'responded_at', 'responded_by_person_id'],
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      return { input: { partnershipId: partnership.id }, code: 'partnership_not_pending' };
    },
  },
  'partners.resend': {
    action: 'partnership.resent',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'invited');
      await actAs(w, w.b.personIds[0]!);
      return {
        input: { partnershipId: partnership.id },
        expect: (r) => [
          {
            table: 'partnerships',
            rowId: partnership.id,
            columns:
              r.lastSentAt === partnership.lastSentAt ? ['send_count'] : ['send_count', 'last_sent_at'],
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'invited');
      await actAs(w, client.legalId);
      return { input: { partnershipId: partnership.id }, code: 'partner_not_legal_representative' };
    },
  },
  'partners.withdraw': {
    action: 'partnership.withdrawn',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'invited');
      await actAs(w, w.b.personIds[0]!);
      return {
        input: { partnershipId: partnership.id },
        expect: () => [
          {
            table: 'partnerships',
            rowId: partnership.id,
            columns: ['status', 'ended_at', 'ended_by', 'ended_by_person_id'],
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { partnership } = await partnershipOf(w, 'active');
      await actAs(w, w.b.personIds[0]!);
      return { input: { partnershipId: partnership.id }, code: 'partnership_not_pending' };
    },
  },
  'partners.end': {
    action: 'partnership.ended',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, confirm: true },
        expect: () => [
          {
            table: 'partnerships',
            rowId: partnership.id,
            columns: ['status', 'ended_at', 'ended_by', 'ended_by_person_id'],
            organizationId: client.id,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      return { input: { partnershipId: partnership.id }, code: 'partnership_confirm_required' };
    },
  },
  'partners.changePayment': {
    action: 'partnership.payment_changed',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, payment: 'partner' },
        expect: () => {
          const notice = oneId(w, 'SELECT id FROM partner_notices WHERE partnership_id = ?', partnership.id);
          return [
            {
              table: 'partnerships',
              rowId: partnership.id,
              columns: ['payment'],
              organizationId: client.id,
              productId: null,
            },
            {
              table: 'partner_notices',
              rowId: notice,
              columns: 'insert',
              organizationId: w.b.organizationId,
              productId: null,
            },
          ];
        },
      };
    },
    refused: async (w) => {
      const { partnership } = await partnershipOf(w, 'active');
      await actAs(w, w.b.personIds[0]!);
      return {
        input: { partnershipId: partnership.id, payment: 'partner' },
        code: 'partner_not_administrator',
      };
    },
  },
  'partners.allocate': {
    action: 'partnership.products_allocated',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'limited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, productIds: [client.productId] },
        expect: () => [
          {
            table: 'partnership_products',
            rowId: `${partnership.id}:${client.productId}`,
            columns: 'insert',
            organizationId: client.id,
            productId: client.productId,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'limited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, productIds: [w.a.productIds[0]!] },
        code: 'product_wrong_organization',
      };
    },
  },
  'partners.deallocate': {
    action: 'partnership.products_deallocated',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'limited');
      await actAs(w, client.legalId);
      await w.k.ok('partners.allocate', { partnershipId: partnership.id, productIds: [client.productId] });
      return {
        input: { partnershipId: partnership.id, productIds: [client.productId] },
        expect: () => [
          {
            table: 'partnership_products',
            rowId: `${partnership.id}:${client.productId}`,
            columns: ['deleted_at'],
            organizationId: client.id,
            productId: client.productId,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'complete');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, productIds: [client.productId] },
        code: 'partner_limited_only',
      };
    },
  },
  'reminders.setLevels': {
    action: 'organization.reminder_levels',
    arrange: async (w) => ({
      input: { organizationId: w.a.organizationId, levels: [{ daysAfterDue: 7, feeMinor: 500 }] },
      expect: () => [
        {
          table: 'organizations',
          rowId: w.a.organizationId,
          columns: ['reminder_levels'],
          organizationId: w.a.organizationId,
          productId: null,
        },
      ],
    }),
    refused: async () => ({
      input: { organizationId: 'no-such-organization', levels: null },
      code: 'organization_not_found',
    }),
  },
  'reminders.run': {
    action: 'reminders.run',
    // A payer of its own, so the run reminds exactly its one overdue invoice.
    arrange: async (w) => {
      const payer = await createPayer(w.k, { name: uniq(w, 'Rappel SA') });
      const invoice = await issueInvoice(w.k, payer.id, [line(10_000)]);
      return {
        input: { date: '2027-01-01', organizationId: payer.id },
        expect: () => [
          {
            table: 'reminders',
            rowId: `rm:${invoice.id}:1`,
            columns: 'insert',
            organizationId: payer.id,
            productId: null,
          },
        ],
      };
    },
    refused: async () => ({
      input: { date: '2027-01-01', organizationId: 'no-such-organization' },
      code: 'organization_not_found',
    }),
  },
  'renewals.setSettings': {
    action: 'organization.billing_settings',
    arrange: async (w) => ({
      input: { organizationId: w.a.organizationId, billingHorizonDays: 45, renewalCatchUp: 'single' },
      expect: () => [
        {
          table: 'organizations',
          rowId: w.a.organizationId,
          columns: ['billing_horizon_days', 'renewal_catch_up'],
          organizationId: w.a.organizationId,
          productId: null,
        },
      ],
    }),
    refused: async () => ({
      input: { organizationId: 'no-such-organization', paymentProfile: 'invoice_only' },
      code: 'organization_not_found',
    }),
  },
  'orders.place': {
    action: 'product.created',
    // Invoiced only: a prepaid balance another case left would otherwise pay it at issue.
    arrange: async (w) => {
      await w.k.ok('renewals.setSettings', { organizationId: w.payer.id, paymentProfile: 'invoice_only' });
      return {
        input: {
          organizationId: w.payer.id,
          kind: 'domain',
          name: uniq(w, 'commande.ch'),
          publicPriceMinor: 1_500,
          billingFrequency: 'annual',
          startsOn: '2026-03-15',
        },
        expect: (r) => {
          const productId = r.product.id;
          const invoiceId = r.invoice.invoiceId;
          const claim = oneId(w, 'SELECT id FROM renewals WHERE invoice_id = ?', invoiceId);
          const scope = { organizationId: w.payer.id, productId: null };
          return [
            { table: 'products', rowId: productId, columns: 'insert', organizationId: w.payer.id, productId },
            ...billedWhole(w, invoiceId, 'renewal.billed'),
            // The period's claim: one whole append-only record, filed under the product.
            {
              table: 'renewals',
              rowId: claim,
              columns: ['*'],
              organizationId: w.payer.id,
              productId,
              action: 'renewal.billed',
            },
            // The product's next renewal moves past the billed period.
            {
              table: 'products',
              rowId: productId,
              columns: ['next_renewal_on'],
              organizationId: w.payer.id,
              productId,
              action: 'renewal.billed',
            },
            { table: 'invoices', rowId: invoiceId, columns: [], ...scope, action: 'invoice.issued' },
          ];
        },
      };
    },
    refused: async () => ({
      input: {
        organizationId: 'no-such-organization',
        kind: 'domain',
        name: 'refusée.ch',
        publicPriceMinor: 1_500,
        billingFrequency: 'annual',
      },
      code: 'organization_not_found',
    }),
  },
  'partners.setDiscount': {
    action: 'price_book.discount_set',
    arrange: async (w) => ({
      input: { partnerOrganizationId: w.b.organizationId, productKind: 'streaming', discountBp: 1_500 },
      expect: (r) => [
        {
          table: 'partner_rates',
          rowId: r.id,
          columns: 'insert',
          organizationId: w.b.organizationId,
          productId: null,
        },
      ],
    }),
    refused: async () => ({
      input: { partnerOrganizationId: 'no-such-organization', productKind: 'streaming', discountBp: 1_500 },
      code: 'organization_not_found',
    }),
  },
  'partners.setDegressiveTiers': {
    action: 'price_book.tiers_set',
    arrange: async () => ({
      input: { productKind: 'mail_hosting', tiers: [{ minQuantity: 10, rateBp: 1_000 }] },
      expect: () => [
        {
          table: 'degressive_tiers',
          rowId: 'mail_hosting:10',
          columns: 'insert',
          organizationId: null,
          productId: null,
        },
      ],
    }),
    // Nothing a well-formed scale can be refused for; a repeated threshold is refused by the schema.
    refused: async () => ({
      input: {
        productKind: 'mail_hosting',
        tiers: [
          { minQuantity: 5, rateBp: 1_000 },
          { minQuantity: 5, rateBp: 2_000 },
        ],
      },
      code: 'invalid_input',
    }),
  },
  'partners.setPublicPrice': {
    action: 'price_book.price_set',
    arrange: async () => ({
      input: { productKind: 'drive', currency: 'EUR', publicPriceMinor: 1_200 },
      expect: (r) => [
        { table: 'price_book', rowId: r.id, columns: 'insert', organizationId: null, productId: null },
      ],
    }),
    refused: async () => ({
      input: { productKind: 'drive', currency: 'EUR', publicPriceMinor: -1 },
      code: 'invalid_input',
    }),
  },
  'partners.creditCashback': {
    action: 'partner.cashback_credited',
    arrange: async (w) => {
      const { partnership } = await partnershipOf(w, 'active');
      // Cashback is booked by the firm: no acting person.
      await actAs(w, null);
      return {
        input: {
          partnershipId: partnership.id,
          orderedBy: 'client',
          productKind: 'web_hosting',
          quantity: 2,
        },
        expect: (r) => [
          {
            table: 'ledger_entries',
            rowId: r.entry.id,
            columns: ['*'],
            organizationId: w.b.organizationId,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { partnership } = await partnershipOf(w, 'active', 'limited');
      return {
        input: {
          partnershipId: partnership.id,
          orderedBy: 'partner',
          productKind: 'web_hosting',
          quantity: 2,
        },
        code: 'partner_cannot_order',
      };
    },
  },
  'partners.changeAccess': {
    action: 'partnership.access_changed',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'limited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, access: 'complete', payment: 'partner' },
        expect: () => {
          const notice = oneId(w, 'SELECT id FROM partner_notices WHERE partnership_id = ?', partnership.id);
          return [
            {
              table: 'partnerships',
              rowId: partnership.id,
              columns: ['access', 'payment'],
              organizationId: client.id,
              productId: null,
            },
            {
              table: 'partner_notices',
              rowId: notice,
              columns: 'insert',
              organizationId: w.b.organizationId,
              productId: null,
            },
          ];
        },
      };
    },
    refused: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active', 'limited');
      await actAs(w, client.legalId);
      return {
        input: { partnershipId: partnership.id, access: 'complete' },
        code: 'partner_payment_required',
      };
    },
  },
  'partners.markNoticesSeen': {
    action: 'partner.notices_seen',
    arrange: async (w) => {
      const { client, partnership } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      await w.k.ok('partners.changePayment', { partnershipId: partnership.id, payment: 'partner' });
      const notice = oneId(w, 'SELECT id FROM partner_notices WHERE partnership_id = ?', partnership.id);
      await actAs(w, w.b.personIds[0]!);
      return {
        input: { organizationId: w.b.organizationId, noticeIds: [notice] },
        expect: () => [
          {
            table: 'partner_notices',
            rowId: notice,
            columns: ['read_at'],
            organizationId: w.b.organizationId,
            productId: null,
          },
        ],
      };
    },
    refused: async (w) => {
      const { client } = await partnershipOf(w, 'active');
      await actAs(w, client.legalId);
      return { input: { organizationId: w.b.organizationId }, code: 'partner_not_administrator' };
    },
  },
  'sync.resolve': {
    action: 'sync.resolved',
    arrange: async (w) => {
      // A name the hub refused; "keep mine" writes it again with a fresh timestamp.
      const rejection = w.k.raw
        .prepare(
          `INSERT INTO sync_rejections (hlc, table_name, row_id, column_name, value, reason, rejected_at)
           VALUES ('000000000000001:000000:x', 'organizations', ?, 'name', ?, 'conflict', ?) RETURNING id`,
        )
        .get(w.b.organizationId, JSON.stringify(uniq(w, 'Bergbahnen')), w.k.clock.now().toISOString()) as {
        id: number;
      };
      return {
        input: { id: rejection.id, choice: 'keepMine' },
        expect: () => [
          {
            table: 'organizations',
            rowId: w.b.organizationId,
            columns: ['name'],
            organizationId: w.b.organizationId,
          },
        ],
      };
    },
    refused: async () => ({
      input: { id: 987_654, choice: 'acceptTheirs' },
      code: 'sync_rejection_not_found',
    }),
  },
};

interface ActivityRow {
  hlc: string;
  at: string;
  action: string;
  entity: string;
  entity_id: string;
  organization_id: string | null;
  product_id: string | null;
  device_id: string;
  actor_person_id: string | null;
  after: string | null;
}
interface LogRow {
  seq: number;
  hlc: string;
  device_id: string;
  table_name: string;
  row_id: string;
  column_name: string;
  value: string | null;
}

function maxHlc(w: World): string {
  const row = w.k.raw
    .prepare('SELECT max(hlc) AS h FROM (SELECT hlc FROM change_log UNION ALL SELECT hlc FROM activity)')
    .get() as {
    h: string | null;
  };
  return row.h ?? '';
}

function sameStored(logged: unknown, stored: unknown): boolean {
  if (typeof logged === 'boolean') return stored === (logged ? 1 : 0);
  if (logged !== null && typeof logged === 'object') return JSON.stringify(logged) === stored;
  return logged === stored;
}

const camelCase = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelRow = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([column, value]) => [camelCase(column), value]));

/** The logged value is the value now stored: a column, or ('*', 'lines') the record or the lines. */
function expectLoggedIsStored(w: World, r: LogRow): void {
  const where = `${r.table_name} ${r.row_id}.${r.column_name} = ${r.value}`;
  const logged = r.value === null ? null : (JSON.parse(r.value) as unknown);
  const row = w.k.raw.prepare(`SELECT * FROM "${r.table_name}" WHERE id = ?`).get(r.row_id) as
    | Record<string, unknown>
    | undefined;
  expect(row, `${r.table_name} ${r.row_id} is stored`).toBeDefined();
  if (r.column_name === '*' && r.value === null) {
    // Read when it is pushed: only an issued invoice, which nothing changes any more.
    expect(r.table_name, where).toBe('invoices');
    expect(row!.status, where).not.toBe('draft');
  } else if (r.column_name === '*') {
    expect(logged, where).toEqual(camelRow(row!));
  } else if (r.table_name === 'invoices' && r.column_name === 'lines') {
    const lines = w.k.raw
      .prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position')
      .all(r.row_id) as Record<string, unknown>[];
    expect(logged, where).toEqual(lines.map(({ id: _id, invoice_id: _invoice, ...line }) => camelRow(line)));
  } else {
    expect(sameStored(logged, row![r.column_name]), where).toBe(true);
  }
}

/** What a refused call must leave as it was: every stored table, and the clock. */
const STORED_TABLES = [
  'activity',
  'change_log',
  'organizations',
  'people',
  'memberships',
  'billing_addresses',
  'products',
  'tags',
  'product_tags',
  'work_teams',
  'work_team_members',
  'work_team_products',
  'invoices',
  'invoice_lines',
  'payments',
  'ledger_entries',
  'renewals',
  'statement_entries',
];

const mutatingMethods = (w: World) =>
  w.k.kontor.router
    .methods()
    .filter((m) => m.mutates && !NOT_RECORDED(m.name))
    .map((m) => m.name)
    .sort();

describe('every mutation is recorded', () => {
  const w = {} as World;

  beforeAll(async () => {
    w.k = space.kontor();
    w.a = await seedOrganization(w.k, { name: 'Hôtel du Lac SA' });
    w.b = await seedOrganization(w.k, { name: 'Bergbahnen AG', products: 2 });
    w.providerId = await setUpProvider(w.k);
    w.payer = await createPayer(w.k, { name: 'Fiduciaire Payeur SA' });
    w.n = 0;
  });

  it('has a case for every mutating method of the contract (add one when you add a method)', () => {
    const methods = mutatingMethods(w);
    expect(methods.length).toBeGreaterThan(20);
    const missing = methods.filter((m) => !(m in CASES));
    const stale = Object.keys(CASES).filter((m) => !methods.includes(m));
    expect(missing, 'mutating methods without a case in CASES').toEqual([]);
    expect(stale, 'cases for methods that are gone or no longer mutate').toEqual([]);
  });

  const names = Object.keys(CASES) as CallName[];
  it.each(names)(
    '%s writes activity and one change-log row per changed field, with rising HLCs',
    async (method) => {
      const c = CASES[method] as unknown as Case;
      // Half of the calls run with the wall clock set back an hour: the HLC must not care.
      w.k.clock.set(
        names.indexOf(method) % 2 === 0 ? '2026-03-15T09:30:00.000Z' : '2026-03-15T08:30:00.000Z',
      );
      // Each case starts as the book's keeper (no acting person): a partner case before it may
      // have left one, and what the firm alone may do (money, prices) is refused to others.
      await actAs(w, null);
      const { input, expect: expected } = await c.arrange(w);
      const hlcBefore = maxHlc(w);
      const seqBefore = (
        w.k.raw.prepare('SELECT coalesce(max(seq), 0) AS s FROM change_log').get() as { s: number }
      ).s;

      const result = await w.k.ok(method, input as never);

      const activity = w.k.raw
        .prepare('SELECT * FROM activity WHERE hlc > ? ORDER BY hlc')
        .all(hlcBefore) as ActivityRow[];
      const log = w.k.raw
        .prepare('SELECT * FROM change_log WHERE seq > ? ORDER BY seq')
        .all(seqBefore) as LogRow[];
      const deviceId = w.k.kontor.ctx().deviceId;

      expect(activity.length).toBeGreaterThanOrEqual(1);
      expect(log.length).toBeGreaterThanOrEqual(1);
      for (const row of activity) {
        expect(row).toMatchObject({ device_id: deviceId, at: w.k.clock.now().toISOString() });
      }
      // Timestamps only go up, in the order the rows were written.
      expect(log.every((r) => r.hlc > hlcBefore && r.device_id === deviceId)).toBe(true);
      expect(log.every((r, i) => i === 0 || log[i - 1]!.hlc <= r.hlc)).toBe(true);
      expect(new Set(activity.map((r) => r.hlc)).size).toBe(activity.length);
      const stored = w.k.raw.prepare('SELECT last_hlc FROM device WHERE id = ?').get(deviceId) as {
        last_hlc: string;
      };
      expect(stored.last_hlc >= log.at(-1)!.hlc).toBe(true);

      const expectations = expected(result);

      // A batch of the bulk path, as ExpectedBatch describes it.
      const batchLog = new Set<LogRow>();
      const batchActivity = new Set<ActivityRow>();
      for (const b of expectations.filter(isBatch)) {
        const rows = log.filter((r) => r.table_name === b.batch && b.rowIds.includes(r.row_id));
        expect(
          rows.map((r) => [r.row_id, r.column_name, r.value]),
          'one whole-row change per invoice of the batch, in order',
        ).toEqual(b.rowIds.map((rowId) => [rowId, '*', null]));
        // One timestamp for the whole batch, shared by its change-log rows and its activity row.
        expect(new Set(rows.map((r) => r.hlc)).size, 'one HLC for the batch').toBe(1);
        for (const rowId of b.rowIds) expect(count(w.k.raw, b.batch, 'id = ?', rowId), rowId).toBe(1);
        const act = activity.filter((r) => r.entity === b.batch && r.entity_id === b.rowIds[0]);
        expect(act, 'one activity row for the batch').toHaveLength(1);
        // All invoices of this batch belong to one organization: the activity row says which.
        expect(act[0]).toMatchObject({ action: c.action, product_id: null });
        expect(JSON.parse(act[0]!.after ?? 'null')).toEqual({ count: b.rowIds.length });
        expect(act[0]!.hlc, 'the batch activity shares the batch HLC').toBe(rows[0]!.hlc);
        for (const r of rows) batchLog.add(r);
        batchActivity.add(act[0]!);
      }

      // Every other recorded change (one activity row) has its own HLC, shared by its
      // change-log rows.
      const changeLog = log.filter((r) => !batchLog.has(r));
      const changes = activity.filter((r) => !batchActivity.has(r));
      /** Steps whose fields travel inside an earlier whole-row change (Expected.columns []). */
      const inWholeRow = new Set<ActivityRow>();

      // A call may change one row several times (a draft is inserted, gets its lines, then its
      // totals): that row's expectations are matched, in order, with its activity rows in HLC
      // order, and each with the change-log rows at its HLC.
      const byRow = new Map<string, Expected[]>();
      for (const e of expectations) {
        if (isBatch(e)) continue;
        const key = `${e.table} ${e.rowId}`;
        byRow.set(key, [...(byRow.get(key) ?? []), e]);
      }
      for (const [where, list] of byRow) {
        const act = changes.filter((r) => `${r.entity} ${r.entity_id}` === where);
        expect(act, `activity for ${where}`).toHaveLength(list.length);
        list.forEach((e, i) => {
          const a = act[i]!;
          const step = list.length > 1 ? `${where} (change ${i + 1} of ${list.length})` : where;
          expect(a.action, `action of ${step}`).toBe(e.action ?? c.action);
          expect(a.organization_id, `organization of ${step}`).toBe(e.organizationId);
          if (e.productId !== undefined) expect(a.product_id, `product of ${step}`).toBe(e.productId);
          const rows = changeLog.filter((r) => r.hlc === a.hlc);
          expect(
            rows.filter((r) => r.table_name !== e.table || r.row_id !== e.rowId),
            `change-log rows of another row at the HLC of ${step}`,
          ).toEqual([]);
          const columns =
            e.columns === 'insert'
              ? columnNames(w.k.raw, e.table).filter(
                  (col) => !['id', 'updated_at', 'deleted_at'].includes(col),
                )
              : e.columns;
          expect(rows.map((r) => r.column_name).sort(), `change-log columns of ${step}`).toEqual(
            [...columns].sort(),
          );
          if (columns.length === 0) inWholeRow.add(a);
        });
      }
      expect([...new Set(changeLog.map((r) => r.hlc))].sort()).toEqual(
        changes.filter((r) => !inWholeRow.has(r)).map((r) => r.hlc),
      );
      // Nothing else was recorded.
      expect(activity).toHaveLength(expectations.length);

      // The logged value is the value now stored, for the last change of each field (a
      // draft's totals are logged as 0 on insert, then as what its lines give).
      const last = new Map<string, LogRow>();
      for (const r of changeLog) last.set(`${r.table_name} ${r.row_id} ${r.column_name}`, r);
      for (const r of last.values()) expectLoggedIsStored(w, r);
    },
  );

  it.each(names)('%s refused writes nothing', async (method) => {
    const c = CASES[method] as unknown as Case;
    await actAs(w, null);
    const refusal = await c.refused(w);
    const deviceId = w.k.kontor.ctx().deviceId;
    const one = (sql: string, ...params: unknown[]) =>
      w.k.raw
        .prepare(sql)
        .pluck()
        .get(...params);
    const snapshot = () => ({
      ...Object.fromEntries(STORED_TABLES.map((table) => [table, count(w.k.raw, table)])),
      // A number drawn and dropped would leave a gap in its series; a balance must not move.
      nextSequences: one('SELECT coalesce(sum(next_sequence), 0) FROM invoice_series'),
      balances: one('SELECT coalesce(sum(balance_minor), 0) FROM prepaid_balances'),
      lastHlc: one('SELECT last_hlc FROM device WHERE id = ?', deviceId),
    });
    const before = snapshot();
    if ('code' in refusal) await w.k.fails(method, refusal.input as never, refusal.code);
    else refusal.reported(await w.k.ok(method, refusal.input as never));
    expect(snapshot()).toEqual(before);
  });

  it('records who acted once an acting person is set', async () => {
    const personId = w.a.personIds[0]!;
    await w.k.ok('settings.setActingPerson', { personId });
    const t = await w.k.ok('tags.create', { organizationId: w.a.organizationId, name: 'Par Anne' });
    const row = w.k.raw.prepare('SELECT actor_person_id FROM activity WHERE entity_id = ?').get(t.id) as {
      actor_person_id: string | null;
    };
    expect(row.actor_person_id).toBe(personId);
    await w.k.ok('settings.setActingPerson', { personId: null });
  });

  it('shows the recorded changes through activity.list, filterable by product and action', async () => {
    const p = await freshProduct(w);
    await w.k.ok('products.update', { id: p.id, name: 'filtered.ch' });
    const page = await w.k.ok('activity.list', { productId: p.id, limit: 50 });
    expect(page.rows.map((r) => r.action).sort()).toEqual(['product.created', 'product.updated']);
    expect(page.rows.find((r) => r.action === 'product.updated')).toMatchObject({
      before: { name: p.name },
      after: { name: 'filtered.ch' },
    });
    const updates = await w.k.ok('activity.list', { productId: p.id, action: 'product.updated', limit: 50 });
    expect(updates.rows).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------
// Partner program (partners.*): w.b is the partner; each case gets a client of its own.

async function actAs(w: World, personId: string | null): Promise<void> {
  await w.k.ok('settings.setActingPerson', { personId });
}

async function partnerClient(w: World): Promise<{ id: string; legalId: string; productId: string }> {
  const org = await w.k.ok('organizations.create', {
    kind: 'company',
    name: uniq(w, 'Client géré'),
    country: 'CH',
    currency: 'CHF',
  });
  const legal = await w.k.ok('members.add', {
    organizationId: org.id,
    email: `${uniq(w, 'rl')}@client.ch`,
    role: 'legal_representative',
  });
  const product = await w.k.ok('products.create', {
    organizationId: org.id,
    kind: 'web_hosting',
    name: uniq(w, 'site.ch'),
    publicPriceMinor: 992,
    billingFrequency: 'monthly',
    nextRenewalOn: '2027-01-01',
  });
  return { id: org.id, legalId: legal.personId, productId: product.id };
}

/** A fresh partnership between w.b (partner) and a new client, invited or accepted. */
async function partnershipOf(
  w: World,
  status: 'invited' | 'active',
  access: 'limited' | 'complete' = 'complete',
) {
  const client = await partnerClient(w);
  await actAs(w, w.b.personIds[0]!);
  let partnership = await w.k.ok('partners.inviteClient', {
    partnerOrganizationId: w.b.organizationId,
    clientOrganizationId: client.id,
    access,
    payment: access === 'complete' ? 'client' : undefined,
  });
  if (status === 'active') {
    await actAs(w, client.legalId);
    partnership = await w.k.ok('partners.accept', { partnershipId: partnership.id });
  }
  return { client, partnership };
}
