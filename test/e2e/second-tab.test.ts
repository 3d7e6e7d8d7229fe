import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectCount, expectText, type Session, startSession } from './harness';

// Issue 14: a second tab of the same browser said "This page needs its access link". The token
// link now leaves a session cookie bound to the token and the host; a tab opened on the bare
// address is let in by it, while other origins still are not.
describe('a second browser tab', () => {
  let s: Session;

  beforeAll(async () => {
    s = await startSession('second-tab', {
      seed: async (kontor) => {
        const r = await kontor.router.invoke('organizations.create', {
          kind: 'company',
          name: 'Käserei Zweitfenster AG',
          country: 'CH',
          currency: 'CHF',
        });
        if (!r.ok) throw new Error(r.error.message);
      },
    });
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('opens on the bare address after the token link was opened once', async () => {
    await s.page.goto(`${s.host.url}#/organizations`);
    await expectText(s.page.locator('main'), 'Käserei Zweitfenster AG');
    expect(s.page.url()).not.toContain('token=');

    const bare = `http://127.0.0.1:${s.host.port}/`;
    const second = await s.context.newPage();
    try {
      await second.goto(`${bare}#/organizations`);
      await expectText(second.locator('main'), 'Käserei Zweitfenster AG');
      await expectCount(second.getByTestId('token-missing'), 0);
      await second.screenshot({ path: path.join(ARTIFACTS, 'second-tab', 'second-tab.png') });
    } finally {
      await second.close();
    }
  });

  it('still needs the link on another host name (the cookie is bound to 127.0.0.1:port)', async () => {
    const other = await s.context.newPage();
    try {
      await other.goto(`http://localhost:${s.host.port}/`);
      await expectCount(other.getByTestId('token-missing'), 1);
    } finally {
      await other.close();
    }
  });
});
