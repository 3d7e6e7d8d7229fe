import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectText, type Session, startSession } from './harness';

// Issue 14 item 13: the Sync page had no menu entry until a hub was configured (the only way
// to configure one), and "7327" pending changes were shown without a thousands separator.
// Issue 11: it shows the changes received and waiting on the device (sync_deferred) too.
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
        // Two changes received from a hub and waiting on this device (issue 11: the page and
        // `sync status` counted none of them, so a row could wait forever unseen).
        const plant = kontor.ctx().raw.prepare(
          `INSERT INTO sync_deferred (hub_seq, hlc, table_name, row_id, column_name, value, reason, received_at)
             VALUES (0, '', 'partnerships', ?, '', NULL, 'pending_row', '2026-12-07T00:00:00.000Z')`,
        );
        plant.run('waiting-1');
        plant.run('waiting-2');
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
    await expectText(s.page.getByTestId('sync-deferred'), '2');
    await s.shot('sync-page');
  });
});
