import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tagNameKey } from '#common/tag-names';
import { call } from '../../api/client';
import { errorMessage, useApiMutation } from '../../api/queries';
import type { TagWithCount } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Dialog } from '../../ui/Dialog';
import { IconPlus, IconSearch } from '../../ui/icons';
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

  return (
    <div className="picker">
      <div className="menu-search picker-search">
        <IconSearch size={14} />
        <input
          // biome-ignore lint/a11y/noAutofocus: the dialog opens for typing
          autoFocus
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={mode === 'add' ? t('products.bulk.findOrCreate') : t('products.filters.findTag')}
          aria-label={t('products.filters.findTag')}
          data-testid="bulk-tag-search"
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            const first = matches[0];
            if (first && (exact || mode === 'remove' || matches.length === 1))
              assign.mutate({ tagId: first.id, productIds });
            else if (mode === 'add' && search.trim() && !exact) void create();
          }}
        />
      </div>
      <div className="picker-list" role="listbox" aria-label={t('nav.tags')}>
        {matches.map((tag) => (
          <button
            key={tag.id}
            type="button"
            role="option"
            aria-selected={false}
            className="menu-item"
            disabled={busy}
            onClick={() => assign.mutate({ tagId: tag.id, productIds })}
            data-testid={`bulk-tag-option-${tag.name}`}
          >
            <span className="menu-dot" style={{ background: tag.color }} aria-hidden="true" />
            <span className="menu-item-label">{tag.name}</span>
            <span className="menu-item-hint">{fmt.number(tag.productCount)}</span>
          </button>
        ))}
        {mode === 'add' && search.trim() && !exact && (
          <button
            type="button"
            role="option"
            aria-selected={false}
            className="menu-item menu-item-create"
            disabled={busy}
            onClick={() => void create()}
            data-testid="bulk-tag-create"
          >
            <IconPlus size={14} />
            <span className="menu-item-label">{t('products.bulk.createTag', { name: search.trim() })}</span>
          </button>
        )}
        {matches.length === 0 && !(mode === 'add' && search.trim()) && (
          <p className="menu-empty">{t('products.filters.noTags')}</p>
        )}
      </div>
      {error && (
        <Alert tone="error" testId="bulk-tag-error">
          {error}
        </Alert>
      )}
    </div>
  );
}
