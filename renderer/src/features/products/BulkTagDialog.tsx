import { useMemo, useState } from 'react';
import { Autocomplete, ListBox, ListBoxItem } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { tagNameKey } from '#common/tag-names';
import { call } from '../../api/client';
import { errorMessage, useApiMutation } from '../../api/queries';
import type { TagWithCount } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Dialog } from '../../ui/Dialog';
import { IconPlus } from '../../ui/icons';
import { ListSearch } from '../../ui/ListSearch';
import { useToast } from '../../ui/Toast';

/** "Add tag…" / "Remove tag…" for the selected products: pick a tag (or create one when adding). */
export function BulkTagDialog({
  mode,
  orgId,
  tags,
  productIds,
  onClose,
}: {
  mode: 'add' | 'remove' | null;
  orgId: string;
  tags: TagWithCount[];
  productIds: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={mode !== null}
      onClose={onClose}
      title={
        mode === 'remove'
          ? t('products.bulk.removeTitle', { count: productIds.length })
          : t('products.bulk.addTitle', { count: productIds.length })
      }
      size="sm"
      testId="bulk-tag-dialog"
    >
      {mode && (
        <BulkTagBody mode={mode} orgId={orgId} tags={tags} productIds={productIds} onClose={onClose} />
      )}
    </Dialog>
  );
}

function BulkTagBody({
  mode,
  orgId,
  tags,
  productIds,
  onClose,
}: {
  mode: 'add' | 'remove';
  orgId: string;
  tags: TagWithCount[];
  productIds: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const matches = useMemo(() => {
    const q = search.trim().toLocaleLowerCase();
    return q ? tags.filter((tag) => tag.name.toLocaleLowerCase().includes(q)) : tags;
  }, [tags, search]);
  const exact = tags.some((tag) => tagNameKey(tag.name) === tagNameKey(search));

  const done = (name: string, changed: number) => {
    toast.success(
      mode === 'add'
        ? t('products.bulk.added', { name, count: changed, formatted: fmt.number(changed) })
        : t('products.bulk.removed', { name, count: changed, formatted: fmt.number(changed) }),
    );
    onClose();
  };
  const assign = useApiMutation(mode === 'add' ? 'tags.assign' : 'tags.unassign', {
    onSuccess: (result) => done(tags.find((tag) => tag.id === result.tagId)?.name ?? '', result.changed),
    onError: (e) => setError(e.message),
  });
  const createAndAssign = useApiMutation('tags.assign', {
    onSuccess: (result) => done(search.trim(), result.changed),
    onError: (e) => setError(e.message),
  });

  const create = async () => {
    setError(null);
    setCreating(true);
    try {
      const tag = await call('tags.create', { organizationId: orgId, name: search.trim() });
      createAndAssign.mutate({ tagId: tag.id, productIds });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setCreating(false);
    }
  };

  const busy = assign.isPending || createAndAssign.isPending || creating;

  // Enter runs the first entry (the search box keeps the focus; the arrows move the highlight):
  // a tag that matches exactly or alone, otherwise "Create tag …" when adding, so it comes first.
  const creatable = mode === 'add' && search.trim() !== '' && !exact;
  const createFirst = creatable && matches.length !== 1;
  const createItem = creatable && (
    <ListBoxItem
      key="__create"
      id="__create"
      textValue={t('products.bulk.createTag', { name: search.trim() })}
      className="menu-item menu-item-create"
      data-testid="bulk-tag-create"
    >
      <IconPlus size={14} />
      <span className="menu-item-label">{t('products.bulk.createTag', { name: search.trim() })}</span>
    </ListBoxItem>
  );

  return (
    <div className="picker">
      <Autocomplete inputValue={search} onInputChange={setSearch}>
        <ListSearch
          label={t('products.filters.findTag')}
          placeholder={mode === 'add' ? t('products.bulk.findOrCreate') : t('products.filters.findTag')}
          className="menu-search picker-search"
          testId="bulk-tag-search"
          autoFocus
        />
        <ListBox
          className="picker-list"
          aria-label={t('nav.tags')}
          disabledKeys={busy ? ['__create', ...matches.map((tag) => tag.id)] : []}
          onAction={(key) =>
            key === '__create' ? void create() : assign.mutate({ tagId: String(key), productIds })
          }
          renderEmptyState={() => <p className="menu-empty">{t('products.filters.noTags')}</p>}
        >
          {createFirst && createItem}
          {matches.map((tag) => (
            <ListBoxItem
              key={tag.id}
              id={tag.id}
              textValue={tag.name}
              className="menu-item"
              data-testid={`bulk-tag-option-${tag.name}`}
            >
              <span className="menu-dot" style={{ background: tag.color }} aria-hidden="true" />
              <span className="menu-item-label">{tag.name}</span>
              <span className="menu-item-hint">{fmt.number(tag.productCount)}</span>
            </ListBoxItem>
          ))}
          {!createFirst && createItem}
        </ListBox>
      </Autocomplete>
      {error && (
        <Alert tone="error" testId="bulk-tag-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
