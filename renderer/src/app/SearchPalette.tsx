import { useEffect, useRef, useState } from 'react';
import {
  Autocomplete,
  Dialog,
  Header,
  Menu,
  MenuItem,
  MenuSection,
  Modal,
  ModalOverlay,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../api/client';
import { useApi } from '../api/queries';
import { IconInvoice } from '../features/invoices/icons';
import { useFormat } from '../i18n/format';
import { useDebounced } from '../lib/use-debounced';
import { IconBox, IconBuilding, IconUsers } from '../ui/icons';
import { ListSearch } from '../ui/ListSearch';
import { Spinner } from '../ui/Spinner';
import { navigate, type Route } from './router';

type Results = MethodOutput<'search.all'>;

/** Where each hit opens. */
function routeOf(key: string, results: Results): Route | null {
  const [kind, id] = key.split(':') as [string, string];
  if (kind === 'organization') return { name: 'org', orgId: id, tab: 'overview' };
  if (kind === 'invoice') {
    const hit = results.invoices.find((i) => i.id === id);
    return hit ? { name: 'invoice', orgId: hit.organizationId, invoiceId: id } : null;
  }
  if (kind === 'product') {
    const hit = results.products.find((p) => p.id === id);
    return hit ? { name: 'products', orgId: hit.organizationId, tagIds: [] } : null;
  }
  const person = results.people.find((p) => p.id === id);
  return person?.organizationId ? { name: 'org', orgId: person.organizationId, tab: 'members' } : null;
}

const OPEN_EVENT = 'kontor:open-search';

/** Opens the search from anywhere (the sidebar's search button). */
export function openSearchPalette(): void {
  window.dispatchEvent(new Event(OPEN_EVENT));
}

/** The key of the first hit, in the order the groups are shown. */
function firstKey(results: Results | undefined): string | null {
  if (!results) return null;
  const [o] = results.organizations;
  if (o) return `organization:${o.id}`;
  const [i] = results.invoices;
  if (i) return `invoice:${i.id}`;
  const p = results.people.find((x) => x.organizationId);
  if (p) return `person:${p.id}`;
  const [d] = results.products;
  return d ? `product:${d.id}` : null;
}

/** Whether a key press happens where typing goes (a field), so "/" is a character there. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The one search (Ctrl+K or ⌘K anywhere, "/" outside a field): organizations, people, products
 * and invoices from the search index, grouped by kind. Up/Down move through every group, Enter
 * opens the highlighted one; the first hit is highlighted as the answer arrives, so typing and
 * Enter opens the best match.
 */
export function SearchPalette() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 120);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const combo = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingIn(event.target);
      if (!combo && !slash) return;
      event.preventDefault();
      setOpen(true);
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener(OPEN_EVENT, onOpen);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(OPEN_EVENT, onOpen);
    };
  }, []);

  const { data, isFetching } = useApi('search.all', { text: query }, { enabled: open && query !== '', keepPrevious: true });
  const results: Results | undefined = query ? data : undefined;
  const close = () => {
    setOpen(false);
    setText('');
  };
  const openKey = (key: string) => {
    if (!results) return;
    const route = routeOf(key, results);
    if (!route) return;
    close();
    navigate(route);
  };
  // Enter before any hit is highlighted (the answer came after the last keystroke, so React
  // Aria had nothing to highlight yet, or highlighted a hit of the previous answer) opens the
  // first hit. On the window, in the capture
  // phase: the search field's own handlers would otherwise swallow it.
  const firstRef = useRef<() => void>(() => {});
  firstRef.current = () => {
    const first = firstKey(results);
    if (first) openKey(first);
  };
  useEffect(() => {
    if (!open) return;
    const onEnter = (event: KeyboardEvent) => {
      const input = event.target;
      if (event.key !== 'Enter' || !(input instanceof HTMLInputElement) || input.dataset.testid !== 'search-input') return;
      // A highlighted hit that is on screen is React Aria's to open; one replaced by a newer
      // answer (its id is gone) is not, and Enter would do nothing.
      const active = input.getAttribute('aria-activedescendant');
      if (active && document.getElementById(active)) return;
      event.preventDefault();
      event.stopPropagation();
      firstRef.current();
    };
    window.addEventListener('keydown', onEnter, true);
    return () => window.removeEventListener('keydown', onEnter, true);
  }, [open]);
  const total = results
    ? results.organizations.length + results.people.length + results.products.length + results.invoices.length
    : 0;

  return (
    <ModalOverlay isOpen={open} onOpenChange={(next) => (next ? setOpen(true) : close())} isDismissable className="dialog-overlay search-overlay">
      <Modal className="dialog search-palette">
        <Dialog className="dialog-frame" aria-label={t('search.title')} data-testid="search-palette">
          <div className="search-palette-body">
          <Autocomplete inputValue={text} onInputChange={setText}>
            <ListSearch label={t('search.label')} placeholder={t('search.placeholder')} className="menu-search search-palette-input" testId="search-input" autoFocus>
              {isFetching && <Spinner size={14} label={t('common.loading')} />}
            </ListSearch>
            {query !== '' && results && total === 0 && (
              <p className="menu-empty" data-testid="search-empty">
                {t('search.noMatch', { text: query })}
              </p>
            )}
            {query === '' && <p className="menu-empty">{t('search.hint')}</p>}
            <Menu className="search-palette-menu" aria-label={t('search.title')} onAction={(key) => openKey(String(key))}>
              {results && results.organizations.length > 0 && (
                <MenuSection className="search-group">
                  <Header className="search-group-title">{t('search.organizations')}</Header>
                  {results.organizations.map((o) => (
                    <MenuItem key={o.id} id={`organization:${o.id}`} textValue={o.name} className="menu-item" data-testid="search-hit-organization">
                      <IconBuilding size={14} />
                      <span className="menu-item-label">{o.name}</span>
                      <span className="search-hit-meta">{[o.city, o.uid ?? o.vatNumber].filter(Boolean).join(' · ')}</span>
                    </MenuItem>
                  ))}
                </MenuSection>
              )}
              {results && results.invoices.length > 0 && (
                <MenuSection className="search-group">
                  <Header className="search-group-title">{t('search.invoices')}</Header>
                  {results.invoices.map((i) => (
                    <MenuItem key={i.id} id={`invoice:${i.id}`} textValue={i.number ?? i.customerName} className="menu-item" data-testid="search-hit-invoice">
                      <IconInvoice size={14} />
                      <span className="menu-item-label">
                        {i.number ?? t('search.draft')} · {i.customerName}
                      </span>
                      <span className="search-hit-meta">
                        {fmt.money(i.grossMinor, i.currency)} · {fmt.date(i.issuedOn)}
                      </span>
                    </MenuItem>
                  ))}
                </MenuSection>
              )}
              {results && results.people.length > 0 && (
                <MenuSection className="search-group">
                  <Header className="search-group-title">{t('search.people')}</Header>
                  {results.people.map((p) => (
                    <MenuItem key={p.id} id={`person:${p.id}`} textValue={p.name} className="menu-item" data-testid="search-hit-person" isDisabled={!p.organizationId}>
                      <IconUsers size={14} />
                      <span className="menu-item-label">{p.name}</span>
                      <span className="search-hit-meta">{p.email}</span>
                    </MenuItem>
                  ))}
                </MenuSection>
              )}
              {results && results.products.length > 0 && (
                <MenuSection className="search-group">
                  <Header className="search-group-title">{t('search.products')}</Header>
                  {results.products.map((p) => (
                    <MenuItem key={p.id} id={`product:${p.id}`} textValue={p.name} className="menu-item" data-testid="search-hit-product">
                      <IconBox size={14} />
                      <span className="menu-item-label">{p.name}</span>
                      <span className="search-hit-meta">{p.organizationName}</span>
                    </MenuItem>
                  ))}
                </MenuSection>
              )}
            </Menu>
          </Autocomplete>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
