// The renderer hides what the authority table refuses (renderer/src/app/acting.ts): the same
// table the hub and the device's services apply, judged for the person at the screen.
import { describe, expect, it } from 'vitest';
import { can, refusesValue } from '#common/authority/table';
import { actorOf } from '../../renderer/src/app/acting';

const memberships = [
  {
    organizationId: 'org-a',
    organizationName: 'A',
    color: '#336699',
    role: 'member' as const,
    external: false,
  },
  {
    organizationId: 'org-b',
    organizationName: 'B',
    color: '#336699',
    role: 'legal_representative' as const,
    external: false,
  },
];

describe('what the screen offers', () => {
  it('offers top-ups and withdrawals to the firm only', () => {
    const topUp = (personId: string | null, org: string) => {
      const actor = actorOf(personId, memberships, org);
      return (
        can(actor, 'ledger_entries', 'insert') &&
        refusesValue(actor, 'ledger_entries', 'insert', { kind: 'top_up' }) === null
      );
    };
    expect(topUp(null, 'org-a')).toBe(true);
    expect(topUp('p-1', 'org-a')).toBe(false);
    expect(topUp('p-1', 'org-b')).toBe(false);
    expect(topUp('p-1', 'org-elsewhere')).toBe(false);
  });

  it('offers partnerships to a client’s legal representative, never a change of their two ends', () => {
    expect(can(actorOf('p-1', memberships, 'org-b'), 'partnerships', 'update', 'access')).toBe(true);
    expect(can(actorOf('p-1', memberships, 'org-a'), 'partnerships', 'update', 'access')).toBe(false);
    expect(
      can(actorOf('p-1', memberships, 'org-b'), 'partnerships', 'update', 'client_organization_id'),
    ).toBe(false);
  });
});
