// The visibility layer on its own (core/services/visibility.ts): every partnership state
// and access type, read straight from the SQL conditions on a real store. The router-level
// proof with invoices and exports is test/integration/partner-visibility-scope.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, products } from '#db/schema/index';
import { KontorError } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { type Kontor, openKontor } from '#core/kontor';
import type { Ctx } from '#core/services/context';
import { createOrganization } from '#core/services/organizations.service';
import { createProduct } from '#core/services/products.service';
import {
  assertMayOrderFor,
  assertVisible,
  isVisible,
  organizationVisibleSql,
  productVisibleSql,
} from '#core/services/visibility';

const STATUSES = ['invited', 'active', 'refused', 'withdrawn', 'ended'] as const;
const ACCESS = ['limited', 'complete'] as const;

let dir: string;
let kontor: Kontor;
let ctx: Ctx;
let n = 0;

function org(name: string): string {
  return createOrganization(ctx, { kind: 'company', name, country: 'CH', currency: 'CHF' }).id;
}
function product(organizationId: string): string {
  return createProduct(ctx, {
    organizationId,
    kind: 'domain',
    name: `p${++n}.ch`,
    publicPriceMinor: 1_000,
    billingFrequency: 'annual',
    nextRenewalOn: '2027-01-01',
    autoRenew: true,
    status: 'active',
    tagIds: [],
  }).id;
}
/** A partnership row in any state, written directly: the layer reads rows, whatever made them. */
function partnership(partner: string, client: string, access: 'limited' | 'complete', status: string, allocated: string[] = []) {
  const id = `ps-${++n}`;
  const now = '2026-03-15T09:30:00.000Z';
  ctx.raw
    .prepare(
      `insert into partnerships (id, created_at, updated_at, partner_organization_id, client_organization_id,
        requested_access, access, payment, status, invited_by, invited_at, last_sent_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'partner', ?, ?)`,
    )
    .run(id, now, now, partner, client, access, access, access === 'complete' ? 'client' : null, status, now, now);
  for (const p of allocated) {
    ctx.raw
      .prepare(
        `insert into partnership_products (id, created_at, updated_at, partnership_id, product_id) values (?, ?, ?, ?, ?)`,
      )
      .run(`${id}:${p}`, now, now, id, p);
  }
  return id;
}

function visibleProducts(acting: string, ofOrganization: string): string[] {
  return ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.organizationId, ofOrganization), productVisibleSql(acting)))
    .all()
    .map((r) => r.id)
    .sort();
}
function visibleOrganizations(acting: string): string[] {
  return ctx.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(organizationVisibleSql(acting))
    .all()
    .map((r) => r.id)
    .sort();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-visibility-'));
  kontor = openKontor({ dbFile: path.join(dir, 'kontor.sqlite'), log: () => {} });
  ctx = kontor.ctx();
});
afterAll(() => {
  kontor.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('only an active partnership grants anything', () => {
  for (const access of ACCESS) {
    for (const status of STATUSES) {
      it(`${access} access, ${status}`, () => {
        const partner = org(`Partner ${access} ${status}`);
        const client = org(`Client ${access} ${status}`);
        const [a, b] = [product(client), product(client)] as [string, string];
        partnership(partner, client, access, status, access === 'limited' ? [a] : []);
        const active = status === 'active';
        const expectedProducts = !active ? [] : access === 'complete' ? [a, b].sort() : [a];
        expect(visibleProducts(partner, client)).toEqual(expectedProducts);
        expect(visibleOrganizations(partner)).toEqual((active ? [partner, client] : [partner]).sort());
        expect(visibleOrganizations(client)).toEqual((active ? [partner, client] : [client]).sort());
        // The client always sees all of its own products, the partner never the client's ledger.
        expect(visibleProducts(client, client)).toEqual([a, b].sort());
        expect(isVisible(ctx, partner, 'ledger', client)).toBe(false);
        expect(isVisible(ctx, partner, 'organization', client)).toBe(active);
      });
    }
  }
});

describe('allocations', () => {
  it('a tombstoned allocation grants nothing; another partner’s allocation never leaks', () => {
    const p1 = org('Allocation P1');
    const p2 = org('Allocation P2');
    const client = org('Allocation client');
    const [a, b, c] = [product(client), product(client), product(client)] as [string, string, string];
    const ps1 = partnership(p1, client, 'limited', 'active', [a, b]);
    partnership(p2, client, 'limited', 'active', [c]);
    expect(visibleProducts(p1, client)).toEqual([a, b].sort());
    expect(visibleProducts(p2, client)).toEqual([c]);
    ctx.raw.prepare(`update partnership_products set deleted_at = updated_at where id = ?`).run(`${ps1}:${b}`);
    expect(visibleProducts(p1, client)).toEqual([a]);
    // P1 sees its client, not P2; P2 is visible to the client only.
    expect(visibleOrganizations(p1)).toEqual([p1, client].sort());
    expect(visibleOrganizations(client)).toEqual([p1, p2, client].sort());
  });
});

describe('money', () => {
  it('a payment and a prepaid account are visible to their own organization only', () => {
    const payer = org('Payer');
    const partner = org('Payer partner');
    partnership(partner, payer, 'complete', 'active');
    ctx.raw
      .prepare(
        `insert into payments (id, created_at, hlc, organization_id, method, amount_minor, currency, received_on, outcome)
         values ('pay-1', '2026-03-15T09:30:00.000Z', '0', ?, 'bank_transfer', 100, 'CHF', '2026-03-15', 'deposited')`,
      )
      .run(payer);
    expect(isVisible(ctx, payer, 'payment', 'pay-1')).toBe(true);
    expect(isVisible(ctx, partner, 'payment', 'pay-1')).toBe(false);
    expect(isVisible(ctx, payer, 'ledger', payer)).toBe(true);
    expect(isVisible(ctx, partner, 'ledger', payer)).toBe(false);
  });
});

describe('assertVisible and assertMayOrderFor', () => {
  it('no acting organization: everything; an unknown one: organization_not_found; outside: not_visible', () => {
    const owner = org('Owner');
    const stranger = org('Stranger');
    const p = product(owner);
    expect(() => assertVisible(ctx, undefined, 'product', p)).not.toThrow();
    expect(() => assertVisible(ctx, owner, 'product', p)).not.toThrow();
    const error = (() => {
      try {
        assertVisible(ctx, stranger, 'product', p);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KontorError);
    expect((error as KontorError).code).toBe('not_visible');
    expect(translateError('not_visible', (error as KontorError).params, 'en')).toBe('This product is not visible to Stranger.');
    expect(translateError('not_visible', (error as KontorError).params, 'fr')).toBe('Ce produit n’est pas visible pour Stranger.');
    expect(translateError('not_visible', (error as KontorError).params, 'de')).toBe('Dieses Produkt ist für Stranger nicht sichtbar.');
    expect(() => assertVisible(ctx, 'no-such-organization', 'product', p)).toThrow(
      expect.objectContaining({ code: 'organization_not_found' }),
    );
  });

  it('ordering: itself and complete-access clients; a limited partner cannot; a stranger does not see the client', () => {
    const partner = org('Order partner');
    const complete = org('Order complete client');
    const limited = org('Order limited client');
    const other = org('Order other client');
    partnership(partner, complete, 'complete', 'active');
    partnership(partner, limited, 'limited', 'active');
    expect(() => assertMayOrderFor(ctx, partner, partner)).not.toThrow();
    expect(() => assertMayOrderFor(ctx, partner, complete)).not.toThrow();
    expect(() => assertMayOrderFor(ctx, undefined, other)).not.toThrow();
    expect(() => assertMayOrderFor(ctx, partner, limited)).toThrow(expect.objectContaining({ code: 'partner_cannot_order' }));
    expect(() => assertMayOrderFor(ctx, partner, other)).toThrow(expect.objectContaining({ code: 'not_visible' }));
  });
});
