import { useQueryClient } from '@tanstack/react-query';
import { useMay } from '../../app/acting';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tagNameKey } from '#common/tag-names';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi, useApiMutation } from '../../api/queries';
import type { TagWithCount } from '../../api/types';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { useDebounced } from '../../lib/use-debounced';
import { QueryState } from '../../ui/QueryState';
import { Button, IconButton } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { IconArrowRight, IconPencil, IconTag, IconTrash } from '../../ui/icons';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { CreateTagForm } from './CreateTagForm';
import { SwatchPicker } from './SwatchPicker';
import { SearchInput } from '../../ui/SearchInput';
import { useToast } from '../../ui/Toast';

export function TagsPage({ orgId }: { orgId: string }) {
  const may = useMay(orgId);
  const { t } = useTranslation();
  const fmt = useFormat();
  const tags = useApi('tags.list', { organizationId: orgId });
  const [filter, setFilter] = useState('');
  const q = useDebounced(filter.trim().toLocaleLowerCase(), 100);
  const list = (tags.data ?? []).filter((tag) => !q || tag.name.toLocaleLowerCase().includes(q));
  const [deleting, setDeleting] = useState<TagWithCount | null>(null);
  const toast = useToast();
  const client = useQueryClient();
  const remove = useApiMutation('tags.delete', {
    onSuccess: (result) => {
      setDeleting(null);
      toast.success(
        t('tags.deleted', {
          name: result.tag.name,
          count: result.removedFrom,
          formatted: fmt.number(result.removedFrom),
        }),
        // Undo: the tag again, same name and colour, on the products it left.
        {
          label: t('common.undo'),
          run: () =>
            void (async () => {
              const tag = await call('tags.create', {
                organizationId: result.tag.organizationId,
                name: result.tag.name,
                color: result.tag.color,
              });
              if (result.productIds.length)
                await call('tags.assign', { tagId: tag.id, productIds: result.productIds });
              invalidateAfter(client, 'tags.assign');
            })().catch((e: unknown) => toast.error(errorMessage(e))),
        },
      );
    },
  });

  return (
    <div className="page">
      <PageHeader
        title={t('tags.title')}
        subtitle={tags.data ? t('tags.subtitle', { count: tags.data.length }) : undefined}
      />
      <div className="page-body page-narrow">
        {may('tags', 'insert') && <CreateTagForm orgId={orgId} existing={tags.data ?? []} />}
        <QueryState
          query={tags}
          isEmpty={(d) => d.length === 0}
          empty={
            <EmptyState
              icon={<IconTag size={22} />}
              title={t('tags.emptyTitle')}
              body={t('tags.emptyBody')}
              testId="tags-empty"
            />
          }
        >
          {() => (
            <>
              {(tags.data?.length ?? 0) > 8 && (
                <div className="toolbar">
                  <SearchInput
                    value={filter}
                    onValueChange={setFilter}
                    label={t('tags.filter')}
                    clearLabel={t('common.clear')}
                    testId="tags-filter"
                    className="toolbar-search"
                  />
                </div>
              )}
              <ul className="tag-list" data-testid="tag-list">
                {list.map((tag) => (
                  <TagRow
                    key={tag.id}
                    tag={tag}
                    orgId={orgId}
                    existing={tags.data ?? []}
                    onDelete={() => {
                      remove.reset();
                      setDeleting(tag);
                    }}
                  />
                ))}
              </ul>
            </>
          )}
        </QueryState>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('tags.deleteTitle', { name: deleting?.name ?? '' })}
        body={
          deleting && deleting.productCount > 0
            ? t('tags.deleteBody', {
                count: deleting.productCount,
                formatted: fmt.number(deleting.productCount),
              })
            : t('tags.deleteBodyUnused')
        }
        confirmLabel={t('tags.deleteConfirm')}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => deleting && remove.mutate({ tagId: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}

function TagRow({
  tag,
  orgId,
  existing,
  onDelete,
}: {
  tag: TagWithCount;
  orgId: string;
  existing: TagWithCount[];
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(tag.name);
  const [error, setError] = useState<string | null>(null);
  const rename = useApiMutation('tags.rename', {
    onSuccess: (updated) => {
      setRenaming(false);
      setError(null);
      toast.success(t('tags.renamed', { name: updated.name }));
    },
    onError: (e) => setError(errorMessage(e)),
  });
  const recolor = useApiMutation('tags.recolor', { onError: (e) => toast.error(e.message) });
  const clash = existing.find((x) => x.id !== tag.id && tagNameKey(x.name) === tagNameKey(name));
  const localError = !name.trim()
    ? t('tags.nameRequired')
    : clash
      ? t('tags.nameTaken', { name: clash.name })
      : null;

  const save = () => {
    if (localError) return;
    if (name.trim() === tag.name) {
      setRenaming(false);
      return;
    }
    rename.mutate({ tagId: tag.id, name: name.trim() });
  };

  return (
    <li className="tag-row" data-testid={`tag-row-${tag.name}`}>
      <SwatchPicker
        color={tag.color}
        onPick={(color) => recolor.mutate({ tagId: tag.id, color })}
        label={t('tags.recolor', { name: tag.name })}
        testId={`tag-color-${tag.name}`}
        pickerTestId={`tag-color-picker-${tag.name}`}
      />
      {renaming ? (
        <form
          className="tag-rename"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <input
            className="input"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setName(tag.name);
                setRenaming(false);
                setError(null);
              }
            }}
            aria-label={t('tags.renameLabel', { name: tag.name })}
            aria-invalid={localError || error ? true : undefined}
            // biome-ignore lint/a11y/noAutofocus: renaming starts by typing
            autoFocus
            maxLength={60}
            data-testid="tag-rename-input"
          />
          <Button
            size="sm"
            type="submit"
            variant="primary"
            loading={rename.isPending}
            disabled={localError !== null}
            data-testid="tag-rename-save"
          >
            {t('common.save')}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setName(tag.name);
              setRenaming(false);
              setError(null);
            }}
          >
            {t('common.cancel')}
          </Button>
          {(localError || error) && (
            <p className="field-error tag-rename-error" role="alert" data-testid="tag-rename-error">
              {localError ?? error}
            </p>
          )}
        </form>
      ) : (
        <a
          className="tag-row-name"
          href={href({ name: 'products', orgId, tagIds: [tag.id] })}
          title={t('tags.openProducts', { name: tag.name })}
          data-testid={`tag-open-${tag.name}`}
        >
          <span className="tag-row-label">{tag.name}</span>
          <span className="tag-row-count">
            {t('tags.productCount', { count: tag.productCount, formatted: fmt.number(tag.productCount) })}
          </span>
          <IconArrowRight size={12} className="tag-row-arrow" />
        </a>
      )}
      {!renaming && (
        <div className="tag-row-actions">
          <IconButton
            label={t('tags.rename', { name: tag.name })}
            icon={<IconPencil size={14} />}
            size="sm"
            onClick={() => {
              setName(tag.name);
              setRenaming(true);
            }}
            data-testid={`tag-rename-${tag.name}`}
          />
          <IconButton
            label={t('tags.delete', { name: tag.name })}
            icon={<IconTrash size={14} />}
            size="sm"
            tone="danger"
            onClick={onDelete}
            data-testid={`tag-delete-${tag.name}`}
          />
        </div>
      )}
    </li>
  );
}
