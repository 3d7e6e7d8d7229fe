import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectText, type Session, startSession } from './harness';

// Issue 14 item 13: the Sync page had no menu entry until a hub was configured (the only way
// to configure one), and "7327" pending changes were shown without a thousands separator.
describe('the Sync page', () => {
  let s: Session;
  let pending = 0;

  beforeAll(async () => {
    s = await startSession('sync-menu', {
      locale: 'en-GB',
      seed: async (kontor) => {
        const org = await kontor.router.invoke('organizations.create', {
          kind: 'company',
          name: 'Ausstehend AG',
          country: 'CH',
          currency: 'CHF',
        });
        if (!org.ok) throw new Error(org.error.message);
        // Enough local changes waiting for a hub that their count needs a separator.
        for (let i = 0; i < 300; i++) {
          const r = await kontor.router.invoke('tags.create', {
            organizationId: (org.value as { id: string }).id,
            name: `Tag ${i}`,
          });
          if (!r.ok) throw new Error(r.error.message);
        }
        const status = await kontor.router.invoke('sync.status', {});
        if (!status.ok) throw new Error(status.error.message);
        pending = (status.value as { pending: number }).pending;
      },
    });
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('has a menu entry before any hub is configured, and counts with the locale’s separator', async () => {
    expect(pending).toBeGreaterThanOrEqual(1_000);
    await s.page.goto(`${s.host.url}#/organizations`);
    const entry = s.page.getByTestId('nav-sync');
    await expectText(entry, 'Sync');
    await entry.click();
    expect(s.page.url()).toContain('#/sync');
    await expectText(s.page.getByTestId('sync-pending'), new Intl.NumberFormat('en-GB').format(pending));
    expect(await s.page.getByTestId('sync-pending').textContent()).toMatch(/^\d{1,3}(,\d{3})+$/);
    await s.shot('sync-page');
  });
});
