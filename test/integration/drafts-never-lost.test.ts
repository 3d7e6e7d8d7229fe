// Issue 14, "Never lose work": "New invoice" stored an empty draft at once, so untouched ones
// piled up. The editor now opens what the draft would be (invoices.blank, made in a transaction
// that is rolled back) and stores it at the first edit.
import { describe, expect, it } from 'vitest';
import { createPayer, setUpProvider } from '../helpers/invoices';
import { count, historyCounts, useTempSpace } from '../helpers/kontor';

const space = useTempSpace('kontor-drafts-');

describe('a new invoice before its first edit', () => {
  it('is what the draft would be, and nothing is stored: no invoice, no activity, no change log', async () => {
    const k = space.kontor();
    await setUpProvider(k);
    const payer = await createPayer(k);
    const before = historyCounts(k.raw);
    const blank = await k.ok('invoices.blank', { organizationId: payer.id, kind: 'invoice' });
    expect(blank).toMatchObject({
      id: '',
      status: 'draft',
      kind: 'invoice',
      currency: 'CHF',
      locale: 'fr',
      organizationId: payer.id,
      lines: [],
      grossMinor: 0,
    });
    expect(blank.allowedVatRatesBp).toContain(810);
    expect(count(k.raw, 'invoices')).toBe(0);
    expect(historyCounts(k.raw)).toEqual(before);
    // The first edit stores it, once.
    const created = await k.ok('invoices.create', {
      organizationId: payer.id,
      lines: [{ description: 'Hosting', quantityMilli: 1000, unitPriceMinor: 10_000 }],
    });
    expect(created.id).not.toBe('');
    expect(count(k.raw, 'invoices')).toBe(1);
  });

  it('without a firm says to set it up, and stores nothing', async () => {
    const k = space.kontor();
    const payer = await createPayer(k);
    const refused = await k.fails('invoices.blank', { organizationId: payer.id, kind: 'pro_forma' }, 'issuer_missing', {
      locale: 'fr',
    });
    expect(refused.message).toContain('Réglages → Entreprise');
    expect(count(k.raw, 'invoices')).toBe(0);
  });
});
