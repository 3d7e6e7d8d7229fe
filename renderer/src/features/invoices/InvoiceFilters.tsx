import { useTranslation } from 'react-i18next';
import { INVOICE_KINDS, INVOICE_STATUSES } from '#common/enums';
import type { OrganizationSummary } from '../../api/types';
import { DateField } from '../../ui/DateField';
import { Switch } from '../../ui/Field';
import { FilterBar } from '../../ui/FilterBar';
import { IconBuilding } from '../../ui/icons';
import { MultiSelect } from '../../ui/MultiSelect';
import { type InvoiceFilters as Filters, hasFilters, NO_FILTERS } from './useInvoices';

export function InvoiceFilters({
  filters,
  onChange,
  orgs,
}: {
  filters: Filters;
  onChange: (next: Filters) => void;
  orgs: OrganizationSummary[];
}) {
  const { t } = useTranslation();
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  const dateError = filters.from && filters.to && filters.from > filters.to;
  return (
    <FilterBar
      filters={filters}
      onChange={onChange}
      testIdPrefix="invoices"
      labels={{
        search: t('invoices.filters.search'),
        status: t('invoices.filters.status'),
        kind: t('invoices.filters.kind'),
        clear: t('invoices.filters.clear'),
      }}
      statuses={{ codes: INVOICE_STATUSES, labelOf: (s) => t(`invoiceStatuses.${s}`) }}
      kinds={{ codes: INVOICE_KINDS, labelOf: (k) => t(`invoiceKinds.${k}`) }}
      onClear={
        hasFilters(filters)
          ? () => onChange({ ...NO_FILTERS, allOrganizations: filters.allOrganizations })
          : undefined
      }
      footer={dateError && <p className="field-error">{t('invoices.filters.dateOrder')}</p>}
      after={
        <>
          {filters.allOrganizations && (
            <MultiSelect
              label={t('invoices.filters.organization')}
              icon={<IconBuilding size={14} />}
              options={orgs.map((o) => ({
                value: o.id,
                label: o.name,
                color: o.color,
                testId: `invoices-filter-org-option-${o.name}`,
              }))}
              selected={filters.organizationIds}
              onChange={(v) => set('organizationIds', v)}
              testId="invoices-filter-org"
              searchLabel={t('switcher.search')}
              emptyLabel={t('switcher.noMatch')}
            />
          )}
          <fieldset className="inv-period">
            <legend className="inline-label">{t('invoices.filters.period')}</legend>
            <DateField
              compact
              label={t('invoices.filters.from')}
              value={filters.from}
              max={filters.to || undefined}
              onChange={(v) => set('from', v)}
              invalid={Boolean(dateError)}
              testId="invoices-filter-from"
            />
            <span className="muted" aria-hidden="true">
              –
            </span>
            <DateField
              compact
              label={t('invoices.filters.to')}
              value={filters.to}
              min={filters.from || undefined}
              onChange={(v) => set('to', v)}
              invalid={Boolean(dateError)}
              testId="invoices-filter-to"
            />
          </fieldset>
          <Switch
            label={t('invoices.filters.allOrganizations')}
            checked={filters.allOrganizations}
            onChange={(e) =>
              onChange({ ...filters, allOrganizations: e.target.checked, organizationIds: [] })
            }
            testId="invoices-all-orgs"
          />
        </>
      }
    />
  );
}
