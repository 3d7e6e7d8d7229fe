import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { errorMessage, invalidateAfter, useApi } from '../api/queries';
import { Alert } from '../ui/Alert';
import { OrgAvatar, PersonAvatar } from '../ui/Avatar';
import { SelectField } from '../ui/Field';
import { IconCheck, IconChevronUpDown, IconUser } from '../ui/icons';
import { Popover } from '../ui/Popover';
import '../features/partners/partners.css';
import { useActing } from './acting';
import { rememberOrg } from './current-org';

/**
 * Who acts here, and for which organization: a partner's legal representative works for the
 * partner, a client's for the client. Partner screens show what that organization may see.
 */
export function ActingAs() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const acting = useActing();
  const people = useApi('people.list', {});
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const person = people.data?.find((p) => p.id === acting.personId);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      invalidateAfter(client, 'settings.setActingOrganization');
    }
  };

  const choosePerson = (personId: string | null) =>
    run(async () => {
      await call('settings.setActingPerson', { personId });
      if (!personId) return;
      // One organization only: nothing to choose. Otherwise keep the current one if it fits.
      const theirs = await call('people.memberships', { personId });
      const keep = theirs.find((m) => m.organizationId === acting.orgId);
      const only = theirs.length === 1 ? theirs[0] : undefined;
      const organizationId = keep?.organizationId ?? only?.organizationId ?? null;
      await call('settings.setActingOrganization', { organizationId });
      // The organization screens follow whom the person acts for.
      if (organizationId) rememberOrg(organizationId);
    });

  const chooseOrg = (organizationId: string) =>
    run(async () => {
      await call('settings.setActingOrganization', { organizationId });
      rememberOrg(organizationId);
      setOpen(false);
    });

  return (
    <Popover
      open={open}
      onClose={() => setOpen(false)}
      className="acting"
      width={288}
      trigger={
        <button
          type="button"
          className="acting-button"
          aria-haspopup="true"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid="acting-button"
          data-popover-trigger
        >
          {person ? (
            <PersonAvatar name={person.name} size={26} />
          ) : (
            <span className="acting-empty-avatar">
              <IconUser size={14} />
            </span>
          )}
          <span className="acting-text">
            <span className="acting-name" data-testid="acting-person-name">
              {person?.name ?? t('partners.acting.nobody')}
            </span>
            <span className="acting-org" data-testid="acting-org-name">
              {acting.membership
                ? t('partners.acting.for', { organization: acting.membership.organizationName })
                : t('partners.acting.noOrganization')}
            </span>
          </span>
          <IconChevronUpDown size={14} className="org-switcher-chevron" />
        </button>
      }
    >
      <div className="acting-panel">
        <SelectField
          label={t('partners.acting.person')}
          value={acting.personId ?? ''}
          disabled={busy}
          onChange={(e) => void choosePerson(e.target.value || null)}
          options={[
            { value: '', label: t('settings.actingNobody') },
            ...(people.data ?? []).map((p) => ({ value: p.id, label: `${p.name} — ${p.email}` })),
          ]}
          testId="acting-person"
        />
        {acting.personId && (
          <div className="acting-orgs" role="menu" aria-label={t('partners.acting.organization')}>
            <p className="acting-orgs-label">{t('partners.acting.organization')}</p>
            {acting.memberships.length === 0 && (
              <p className="switcher-empty">{t('partners.acting.noMembership')}</p>
            )}
            {acting.memberships.map((m) => (
              <button
                key={m.organizationId}
                type="button"
                role="menuitemradio"
                aria-checked={m.organizationId === acting.orgId}
                className="switcher-item"
                disabled={busy}
                onClick={() => void chooseOrg(m.organizationId)}
                data-testid="acting-org-option"
                data-org-name={m.organizationName}
              >
                <OrgAvatar name={m.organizationName} color={m.color} size={20} />
                <span className="switcher-item-name">
                  {m.organizationName}
                  <span className="acting-role">{t(`roles.${m.role}`)}</span>
                </span>
                {m.organizationId === acting.orgId && <IconCheck size={14} className="switcher-check" />}
              </button>
            ))}
          </div>
        )}
        {error && (
          <Alert tone="error" testId="acting-error">
            {error}
          </Alert>
        )}
      </div>
    </Popover>
  );
}
