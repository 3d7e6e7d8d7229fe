// The seeds: switching from annual or quarterly to monthly billing is only safe in the month
// before the current term ends; earlier, the remaining months are billed again. Kontor warns,
// and only changes the frequency when the user confirms.
import { beforeEach, describe, expect, it } from 'vitest';
import { historyCounts, type TestKontor, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-frequency-');

let k: TestKontor;
let productId: string;

beforeEach(async () => {
  // Renewed for a year on 1 January 2023: the term ends on 1 January 2024.
  k = space.kontor({ now: '2023-06-15T10:00:00.000Z' });
  const org = await k.ok('organizations.create', {
    kind: 'company',
    name: 'Nuage SA',
    country: 'CH',
    currency: 'CHF',
  });
  productId = (
    await k.ok('products.create', {
      organizationId: org.id,
      kind: 'cloud_server',
      name: 'Cloud hosting',
      publicPriceMinor: 120_000,
      billingFrequency: 'annual',
      nextRenewalOn: '2024-01-01',
    })
  ).id;
});

describe('switching a product to monthly billing too early', () => {
  it('is refused with frequency_change_rebills and the dates the user needs', async () => {
    const error = await k.fails(
      'products.update',
      { id: productId, billingFrequency: 'monthly' },
      'frequency_change_rebills',
      {
        locale: 'en',
      },
    );
    expect(error.params).toEqual({ safeFrom: '2023-12-01', termEndsOn: '2024-01-01', remainingMonths: 7 });
    expect(error.message).toContain('2023-12-01');
    expect(error.message).toContain('7');
    const fr = await k.fails(
      'products.update',
      { id: productId, billingFrequency: 'monthly' },
      'frequency_change_rebills',
      {
        locale: 'fr-CH',
      },
    );
    expect(fr.message).toContain('facturerait à nouveau les 7 mois restants');
    expect(fr.message).toContain('à partir du 2023-12-01');
  });

  it('writes nothing when refused, not even the other fields of the same change', async () => {
    const before = historyCounts(k.raw);
    const productBefore = await k.ok('products.get', { id: productId });
    await k.fails(
      'products.update',
      { id: productId, billingFrequency: 'monthly', name: 'Renamed', publicPriceMinor: 9_900 },
      'frequency_change_rebills',
    );
    expect(historyCounts(k.raw)).toEqual(before);
    expect(await k.ok('products.get', { id: productId })).toEqual(productBefore);
  });

  it('goes through when the user confirms, and is recorded', async () => {
    const before = historyCounts(k.raw);
    const updated = await k.ok('products.update', {
      id: productId,
      billingFrequency: 'monthly',
      confirmRebilling: true,
    });
    expect(updated.billingFrequency).toBe('monthly');
    const after = historyCounts(k.raw);
    expect(after.activity).toBe(before.activity + 1);
    expect(after.changeLog).toBe(before.changeLog + 1);
    const log = k.raw
      .prepare('SELECT column_name, value FROM change_log WHERE row_id = ? ORDER BY seq DESC LIMIT 1')
      .get(productId);
    expect(log).toEqual({ column_name: 'billing_frequency', value: '"monthly"' });
  });

  it('is announced by products.checkFrequencyChange before the user tries', async () => {
    expect(
      await k.ok('products.checkFrequencyChange', { id: productId, billingFrequency: 'monthly' }),
    ).toEqual({
      code: 'frequency_change_rebills',
      safeFrom: '2023-12-01',
      termEndsOn: '2024-01-01',
      remainingMonths: 7,
    });
    expect(
      await k.ok('products.checkFrequencyChange', { id: productId, billingFrequency: 'quarterly' }),
    ).toBeNull();
    await k.fails(
      'products.checkFrequencyChange',
      { id: 'missing', billingFrequency: 'monthly' },
      'product_not_found',
    );
  });

  it('uses the new renewal date when the same change moves it', async () => {
    // Moving the term end to 1 July 2023 puts today in the safe month.
    const updated = await k.ok('products.update', {
      id: productId,
      billingFrequency: 'monthly',
      nextRenewalOn: '2023-07-01',
    });
    expect(updated).toMatchObject({ billingFrequency: 'monthly', nextRenewalOn: '2023-07-01' });
  });
});

describe('switches that are safe', () => {
  it('annual → monthly from the first day of the month before the term ends', async () => {
    k.clock.set('2023-11-30T23:59:59.000Z');
    await k.fails(
      'products.update',
      { id: productId, billingFrequency: 'monthly' },
      'frequency_change_rebills',
    );
    k.clock.set('2023-12-01T00:00:00.000Z');
    expect(
      await k.ok('products.checkFrequencyChange', { id: productId, billingFrequency: 'monthly' }),
    ).toBeNull();
    expect(
      (await k.ok('products.update', { id: productId, billingFrequency: 'monthly' })).billingFrequency,
    ).toBe('monthly');
  });

  it('quarterly → monthly warns, monthly → annual never does', async () => {
    await k.ok('products.update', {
      id: productId,
      billingFrequency: 'quarterly',
      nextRenewalOn: '2023-09-01',
    });
    const error = await k.fails(
      'products.update',
      { id: productId, billingFrequency: 'monthly' },
      'frequency_change_rebills',
    );
    expect(error.params).toMatchObject({
      safeFrom: '2023-08-01',
      termEndsOn: '2023-09-01',
      remainingMonths: 3,
    });
    await k.ok('products.update', { id: productId, billingFrequency: 'monthly', confirmRebilling: true });
    expect(
      (await k.ok('products.update', { id: productId, billingFrequency: 'annual' })).billingFrequency,
    ).toBe('annual');
  });

  it('changing other fields without touching the frequency never warns', async () => {
    expect(
      (
        await k.ok('products.update', {
          id: productId,
          name: 'Cloud hosting Pro',
          billingFrequency: 'annual',
        })
      ).name,
    ).toBe('Cloud hosting Pro');
  });
});
