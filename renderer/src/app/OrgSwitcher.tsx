import { type KeyboardEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgAvatar } from '../ui/Avatar';
import { IconCheck, IconChevronUpDown, IconGrid, IconPlus, IconSearch } from '../ui/icons';
import { Popover } from '../ui/Popover';
import { useCurrentOrg } from './current-org';
import { href, navigate, useRoute, withOrg } from './router';

/** The organization switcher at the top of the sidebar; keeps the current screen when switching. */
export function OrgSwitcher({ onCreate }: { onCreate: () => void }) {
  const { t } = useTranslation();
  const { org, orgs, orgId } = useCurrentOrg();
  const route = useRoute();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const close = useCallback(() => {
    setOpen(false);
    setSearch('');
  }, []);

  const matches = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return (orgs ?? []).filter((o) => !q || o.name.toLocaleLowerCase().includes(q));
  }, [orgs, search]);

  const choose = (id: string) => {
    close();
    navigate(withOrg(route, id));
  };

  // Up/Down move between the options, as in a listbox.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('[data-switcher-item]'));
    if (items.length === 0) return;
    event.preventDefault();
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === 'ArrowDown' ? (index + 1) % items.length : (index - 1 + items.length) % items.length;
    items[index === -1 ? 0 : next]?.focus();
  };

  return (
    <Popover
      open={open}
      onClose={close}
      className="org-switcher"
      width={272}
      trigger={
        <button
          type="button"
          className="org-switcher-button"
          aria-haspopup="true"
          aria-expanded={open}
          onClick={() => (open ? close() : setOpen(true))}
          data-testid="org-switcher"
          data-popover-trigger
        >
          {org ? (
            <OrgAvatar name={org.name} color={org.color} logo={org.logo} size={26} />
          ) : (
            <span className="org-avatar org-avatar-empty" style={{ width: 26, height: 26 }}>
              <IconGrid size={14} />
            </span>
          )}
          <span className="org-switcher-text">
            <span className="org-switcher-name">{org?.name ?? t('switcher.noneSelected')}</span>
            <span className="org-switcher-meta">{org ? org.currency : t('app.name')}</span>
          </span>
          <IconChevronUpDown size={14} className="org-switcher-chevron" />
        </button>
      }
    >
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow-key roving focus for the list below */}
      <div className="switcher-panel" onKeyDown={onKeyDown}>
        <div className="switcher-search">
          <IconSearch size={14} />
          <input
            // biome-ignore lint/a11y/noAutofocus: the panel opens for typing
            autoFocus
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t('switcher.search')}
            aria-label={t('switcher.search')}
            data-testid="org-switcher-search"
          />
        </div>
        <div className="switcher-list" role="menu" aria-label={t('switcher.label')}>
          {matches.length === 0 && (
            <p className="switcher-empty">{orgs?.length ? t('switcher.noMatch') : t('switcher.empty')}</p>
          )}
          {matches.map((o) => (
            <button
              key={o.id}
              type="button"
              role="menuitemradio"
              aria-checked={o.id === orgId}
              className="switcher-item"
              onClick={() => choose(o.id)}
              data-switcher-item
              data-testid="org-switcher-option"
              data-org-name={o.name}
            >
              <OrgAvatar name={o.name} color={o.color} logo={o.logo} size={20} />
              <span className="switcher-item-name">{o.name}</span>
              {o.id === orgId && <IconCheck size={14} className="switcher-check" />}
            </button>
          ))}
        </div>
        <div className="switcher-footer">
          <a
            href={href({ name: 'organizations' })}
            className="switcher-item"
            onClick={close}
            data-switcher-item
          >
            <IconGrid size={14} />
            <span>{t('switcher.all')}</span>
          </a>
          <button
            type="button"
            className="switcher-item"
            data-switcher-item
            onClick={() => {
              close();
              onCreate();
            }}
            data-testid="org-switcher-create"
          >
            <IconPlus size={14} />
            <span>{t('switcher.create')}</span>
          </button>
        </div>
      </div>
    </Popover>
  );
}
