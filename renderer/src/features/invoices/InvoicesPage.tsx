import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { useCurrentOrg } from '../../app/current-org';
import { useFormat } from '../../i18n/format';
import { useDebounced } from '../../lib/use-debounced';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { IconPlus } from '../../ui/icons';
import { ListEmpty, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { Spinner } from '../../ui/Spinner';
import { ExportControls } from './ExportControls';
import { IconInvoice } from './icons';
import { InvoiceFilters } from './InvoiceFilters';
import { InvoicesTabs } from './InvoicesTabs';
import { InvoiceTable } from './InvoiceTable';
import { InvoiceTotals } from './InvoiceTotals';
import {
  apiFilters,
  hasFilters,
  type InvoiceFilters as Filters,
  NO_FILTERS,
  useInvoices,
} from './useInvoices';
import { useCreateDraft } from './useCreateDraft';
import './invoices.css';

export function InvoicesPage({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { orgs, org } = useCurrentOrg();
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, allOrganizations: false });
  const search = useDebounced(filters.search, 250);
  const effective = useMemo(() => ({ ...filters, search }), [filters, search]);
  const dateError = Boolean(effective.from && effective.to && effective.from > effective.to);
  const input = useMemo(() => apiFilters(orgId, effective), [orgId, effective]);
  const { list, count, counts, ensureLoaded } = useInvoices(input);
  const totals = useApi('invoices.totals', input, { keepPrevious: true });
  const { create, creating } = useCreateDraft(orgId);

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.rows) ?? [], [list.data]);
  const total = count ?? rows.length;
  const filtered = hasFilters(effective);
  const showEmpty = !list.isLoading && !list.isPlaceholderData && rows.length === 0;
  const resetKey = JSON.stringify(input);

  return (
    <div className="page page-fill inv-list">
      <PageHeader
        title={t('invoices.title')}
        subtitle={
          <span data-testid="invoices-count">
            {count !== undefined
              ? t(filtered ? 'invoices.countFiltered' : 'invoices.count', {
                  count: total,
                  formatted: fmt.number(total),
                })
              : '\u00a0'}
            {effective.allOrganizations ? ` · ${t('invoices.scopeAll')}` : org ? ` · ${org.name}` : ''}
            {(list.isFetching || counts.isFetching) && !list.isLoading && <Spinner size={12} />}
          </span>
        }
        actions={
          <>
            <Button
              onClick={() => void create('pro_forma')}
              loading={creating === 'pro_forma'}
              disabled={creating !== null}
              data-testid="invoice-create-pro-forma"
            >
              {t('invoices.createProForma')}
            </Button>
            <Button
              variant="primary"
              icon={<IconPlus />}
              onClick={() => void create('invoice')}
              loading={creating === 'invoice'}
              disabled={creating !== null}
              data-testid="invoice-create"
            >
              {t('invoices.create')}
            </Button>
          </>
        }
      >
        <InvoiceFilters filters={filters} onChange={setFilters} orgs={orgs ?? []} />
        <InvoicesTabs orgId={orgId} current="invoices" />
      </PageHeader>
      <div className="page-body page-body-fill inv-body">
        <ExportControls filters={input} disabled={dateError || total === 0} />
        {totals.isError && <Alert tone="error">{totals.error.message}</Alert>}
        <QueryState
          query={list}
          isEmpty={() => showEmpty}
          empty={
            <ListEmpty
              filtered={filtered}
              icon={<IconInvoice size={22} />}
              noMatch={{
                title: t('invoices.noMatchTitle'),
                body: t('invoices.noMatchBody'),
                clear: (
                  <Button onClick={() => setFilters({ ...NO_FILTERS, allOrganizations: filters.allOrganizations })}>
                    {t('invoices.filters.clear')}
                  </Button>
                ),
              }}
              empty={{
                title: t('invoices.emptyTitle'),
                body: t('invoices.emptyBody'),
                action: (
                  <Button variant="primary" icon={<IconPlus />} onClick={() => void create('invoice')}>
                    {t('invoices.create')}
                  </Button>
                ),
              }}
              testId="invoices-empty"
            />
          }
        >
          {() => (
            <div className="table-card table-card-fill">
              <InvoiceTable
                rows={rows}
                total={total}
                hasNextPage={list.hasNextPage}
                ensureLoaded={ensureLoaded}
                resetKey={resetKey}
              />
            </div>
          )}
        </QueryState>
        {/* The sums of what the list shows sit under it, as on a ledger page: above it they
            pushed the first row ~60 px down (issue 14, the grid starts high). */}
        <InvoiceTotals rows={dateError ? [] : totals.data} loading={totals.isLoading} />
      </div>
    </div>
  );
}
