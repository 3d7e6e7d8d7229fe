import { useCallback, useMemo, useState } from 'react';
import { Autocomplete, Menu, MenuItem, MenuSection } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { OrgAvatar } from '../ui/Avatar';
import { IconCheck, IconChevronUpDown, IconGrid, IconPlus } from '../ui/icons';
import { foldText } from '#common/search-text';
import { ListSearch } from '../ui/ListSearch';
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
    // "kase" finds Käserei: accents and case folded on both sides, as the search index does.
    const q = foldText(search.trim());
    return (orgs ?? []).filter((o) => !q || foldText(o.name).includes(q));
  }, [orgs, search]);

  const choose = (id: string) => {
    close();
    navigate(withOrg(route, id));
  };

  return (
    <Popover
      open={open}
      onOpenChange={(next) => (next ? setOpen(true) : close())}
      className="org-switcher"
      width={272}
      label={t('switcher.label')}
      trigger={
        <button type="button" className="org-switcher-button" data-testid="org-switcher">
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
      {/* A searchable menu: the focus stays in the search box, Up/Down move through the
          organizations and the two actions below them, Enter opens the highlighted one. */}
      <div className="menu">
        <Autocomplete inputValue={search} onInputChange={setSearch}>
          <ListSearch
            label={t('switcher.search')}
            className="menu-search"
            testId="org-switcher-search"
            autoFocus
          />
          {matches.length === 0 && (
            <p className="menu-empty">{orgs?.length ? t('switcher.noMatch') : t('switcher.empty')}</p>
          )}
          <Menu className="switcher-menu" aria-label={t('switcher.label')}>
            <MenuSection
              className="menu-list switcher-list"
              selectionMode="single"
              selectedKeys={orgId ? [orgId] : []}
              disallowEmptySelection
            >
              {matches.map((o) => (
                <MenuItem
                  key={o.id}
                  id={o.id}
                  textValue={o.name}
                  className="menu-item"
                  onAction={() => choose(o.id)}
                  data-testid="org-switcher-option"
                  data-org-name={o.name}
                >
                  <OrgAvatar name={o.name} color={o.color} logo={o.logo} size={20} />
                  <span className="menu-item-label">{o.name}</span>
                  {o.id === orgId && <IconCheck size={14} className="switcher-check" />}
                </MenuItem>
              ))}
            </MenuSection>
            <MenuSection className="switcher-footer">
              <MenuItem
                id="all"
                href={href({ name: 'organizations' })}
                className="menu-item"
                onAction={close}
                textValue={t('switcher.all')}
              >
                <IconGrid size={14} />
                <span>{t('switcher.all')}</span>
              </MenuItem>
              <MenuItem
                id="create"
                className="menu-item"
                textValue={t('switcher.create')}
                onAction={() => {
                  close();
                  onCreate();
                }}
                data-testid="org-switcher-create"
              >
                <IconPlus size={14} />
                <span>{t('switcher.create')}</span>
              </MenuItem>
            </MenuSection>
          </Menu>
        </Autocomplete>
      </div>
    </Popover>
  );
}
