import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ListBox, ListBoxItem } from 'react-aria-components';
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
  const orgsLabel = useId();

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
      onOpenChange={setOpen}
      className="acting"
      side="top"
      width={288}
      label={t('partners.acting.person')}
      trigger={
        <button type="button" className="acting-button" data-testid="acting-button">
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
          <div className="acting-orgs">
            <p className="acting-orgs-label" id={orgsLabel}>
              {t('partners.acting.organization')}
            </p>
            {acting.memberships.length === 0 && (
              <p className="menu-empty">{t('partners.acting.noMembership')}</p>
            )}
            {acting.memberships.length > 0 && (
              <ListBox
                aria-labelledby={orgsLabel}
                selectionMode="single"
                selectedKeys={acting.orgId ? [acting.orgId] : []}
                disallowEmptySelection
                // Choosing is selecting: with a selection present React Aria turns a press into
                // a selection change, not an action.
                onSelectionChange={(keys) => {
                  const [key] = keys === 'all' ? [] : [...keys];
                  if (key !== undefined) void chooseOrg(String(key));
                }}
                disabledKeys={busy ? acting.memberships.map((m) => m.organizationId) : []}
              >
                {acting.memberships.map((m) => (
                  <ListBoxItem
                    key={m.organizationId}
                    id={m.organizationId}
                    textValue={m.organizationName}
                    className="menu-item"
                    data-testid="acting-org-option"
                    data-org-name={m.organizationName}
                  >
                    <OrgAvatar name={m.organizationName} color={m.color} size={20} />
                    <span className="menu-item-label">
                      {m.organizationName}
                      <span className="acting-role">{t(`roles.${m.role}`)}</span>
                    </span>
                    {m.organizationId === acting.orgId && <IconCheck size={14} className="switcher-check" />}
                  </ListBoxItem>
                ))}
              </ListBox>
            )}
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
