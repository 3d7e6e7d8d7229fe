import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { call } from '../../api/client';
import { useApi } from '../../api/queries';
import type { ActivityRow } from '../../api/types';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PagedTable } from '../../ui/DataTable';
import { DateField } from '../../ui/DateField';
import { Select } from '../../ui/Field';
import { IconActivity, IconBox, IconChevronDown, IconX } from '../../ui/icons';
import { EmptyState, PanelHeader } from '../../ui/Layout';
import { MiddleEllipsis } from '../../ui/MiddleEllipsis';
import { Popover } from '../../ui/Popover';
import { QueryState } from '../../ui/QueryState';
import { type PickedProduct, ProductPicker } from '../products/ProductPicker';
import { actionLabel, entityLabel, RawDetails, summarize } from './summary';

const PAGE = 50;

export function ActivityPanel({ orgId, currency }: { orgId: string; currency: Currency }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [action, setAction] = useState('');
  const [product, setProduct] = useState<PickedProduct | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [pickerOpen, setPickerOpen] = useState(false);

  const actions = useApi('activity.actions', {});
  const people = useApi('people.list', {});
  const tags = useApi('tags.list', { organizationId: orgId });

  const input = {
    organizationId: orgId,
    limit: PAGE,
    ...(action ? { action } : {}),
    ...(product ? { productId: product.id } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const list = useInfiniteQuery({
    queryKey: ['activity.list', input, 'pages'],
    queryFn: ({ pageParam }) => call('activity.list', { ...input, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.rows) ?? [], [list.data]);

  const ctx = useMemo(() => {
    const personNames = new Map((people.data ?? []).map((p) => [p.id, p.name]));
    const tagNames = new Map((tags.data ?? []).map((tag) => [tag.id, tag.name]));
    return {
      t,
      fmt,
      currency,
      tagName: (id: string) => tagNames.get(id),
      personName: (id: string) => personNames.get(id),
    };
  }, [people.data, tags.data, t, fmt, currency]);

  const filtered = Boolean(action || product || from || to);
  const dateError = from && to && from > to ? t('activity.dateOrder') : null;

  return (
    <div className="panel">
      <PanelHeader title={t('activity.title')} subtitle={t('activity.subtitle')} />
      <div className="filters-row activity-filters">
        <div className="inline-field">
          <label className="inline-label" htmlFor="activity-action">
            {t('activity.filters.action')}
          </label>
          <Select
            id="activity-action"
            value={action}
            onChange={(e) => setAction(e.target.value)}
            options={[
              { value: '', label: t('activity.filters.allActions') },
              ...(actions.data ?? []).map((a) => ({ value: a, label: actionLabel(t, a) })),
            ]}
            data-testid="activity-filter-action"
          />
        </div>
        <Popover
          open={pickerOpen}
          onOpenChange={setPickerOpen}
          width={320}
          label={t('activity.filters.findProduct')}
          trigger={
            <button
              type="button"
              className={`filter-button${product ? ' filter-button-active' : ''}`}
              data-testid="activity-filter-product"
            >
              <IconBox size={14} />
              <span className="filter-button-text">
                {product ? product.name : t('activity.filters.anyProduct')}
              </span>
              <IconChevronDown size={14} />
            </button>
          }
        >
          <div className="menu">
            <ProductPicker
              orgId={orgId}
              label={t('activity.filters.findProduct')}
              isPicked={(id) => product?.id === id}
              onPick={(p) => {
                setProduct(product?.id === p.id ? null : p);
                setPickerOpen(false);
              }}
              testId="activity-product-picker"
            />
          </div>
        </Popover>
        {product && (
          <Button
            size="sm"
            variant="ghost"
            icon={<IconX size={12} />}
            onClick={() => setProduct(null)}
            aria-label={t('activity.filters.clearProduct')}
          >
            {t('activity.filters.clearProduct')}
          </Button>
        )}
        <DateField
          inline
          label={t('activity.filters.from')}
          value={from}
          max={to || undefined}
          onChange={setFrom}
          testId="activity-filter-from"
        />
        <DateField
          inline
          label={t('activity.filters.to')}
          value={to}
          min={from || undefined}
          onChange={setTo}
          testId="activity-filter-to"
        />
        {filtered && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setAction('');
              setProduct(null);
              setFrom('');
              setTo('');
            }}
            data-testid="activity-filter-clear"
          >
            {t('products.filters.clear')}
          </Button>
        )}
      </div>
      {dateError && <Alert tone="warning">{dateError}</Alert>}
      <QueryState
        query={list}
        isEmpty={() => rows.length === 0}
        empty={
          <EmptyState
            icon={<IconActivity size={22} />}
            title={filtered ? t('activity.noMatch') : t('activity.empty')}
            testId="activity-empty"
          />
        }
      >
        {() => (
          <PagedTable
            list={list}
            endLabel={t('activity.end', { count: rows.length })}
            moreTestId="activity-load-more"
            className="table-activity"
            testId="activity-table"
            columns={[
              { label: t('activity.columns.time') },
              { label: t('activity.columns.who') },
              { label: t('activity.columns.action') },
              { label: t('activity.columns.entity') },
              { label: t('activity.columns.change') },
            ]}
          >
            {rows.map((row) => (
              <tr key={row.id} data-testid="activity-row" data-action={row.action}>
                <td className="nowrap muted">{fmt.dateTime(row.at)}</td>
                <td className="nowrap">
                  {row.actorPersonId ? (
                    (ctx.personName(row.actorPersonId) ?? '…')
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="nowrap">
                  <span className="action-pill">{actionLabel(t, row.action)}</span>
                </td>
                <td className="nowrap muted">
                  {entityLabel(t, row.entity)}
                  <SubjectLink row={row} />
                </td>
                <td className="summary-cell">
                  {summarize(row, ctx)}
                  <RawDetails row={row} label={t('activity.details')} />
                </td>
              </tr>
            ))}
          </PagedTable>
        )}
      </QueryState>
    </div>
  );
}

/**
 * The record an entry is about, by its number or name, linked to its page (issue 14: the
 * activity named other records by neither).
 */
function SubjectLink({ row }: { row: ActivityRow }) {
  const { t } = useTranslation();
  if (!row.subject) return null;
  const target =
    row.entity === 'invoices' && row.organizationId
      ? href({ name: 'invoice', orgId: row.organizationId, invoiceId: row.entityId })
      : row.entity === 'organizations'
        ? href({ name: 'org', orgId: row.entityId, tab: 'overview' })
        : row.entity === 'products' && row.organizationId
          ? href({ name: 'products', orgId: row.organizationId, tagIds: [], productId: row.entityId })
          : null;
  // An invoice number differs from the next in its last digits: cut in its middle, not its end.
  // A draft has no number yet: named by its payer (the service says which).
  const text = row.draft ? (
    t('activity.draftOf', { name: row.subject })
  ) : row.entity === 'invoices' ? (
    <MiddleEllipsis text={row.subject} />
  ) : (
    row.subject
  );
  return target ? (
    <a className="activity-subject" href={target} data-testid="activity-subject">
      {text}
    </a>
  ) : (
    <span className="activity-subject">{text}</span>
  );
}
