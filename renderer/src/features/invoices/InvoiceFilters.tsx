import { useTranslation } from 'react-i18next';
import { INVOICE_KINDS, INVOICE_STATUSES } from '#common/enums';
import type { OrganizationSummary } from '../../api/types';
import { DateField } from '../../ui/DateField';
import { Switch } from '../../ui/Field';
import { IconBuilding } from '../../ui/icons';
import { CodeFilter, MultiSelect } from '../../ui/MultiSelect';
import { FilterBar } from '../../ui/FilterBar';
import { hasFilters, type InvoiceFilters as Filters, NO_FILTERS } from './useInvoices';

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
      search={{
        value: filters.search,
        onChange: (v) => set('search', v),
        label: t('invoices.filters.search'),
        testId: 'invoices-search',
      }}
      clear={
        hasFilters(filters) && {
          label: t('invoices.filters.clear'),
          onPress: () => onChange({ ...NO_FILTERS, allOrganizations: filters.allOrganizations }),
          testId: 'invoices-filter-clear',
        }
      }
      below={dateError && <p className="field-error">{t('invoices.filters.dateOrder')}</p>}
    >
      <CodeFilter
        label={t('invoices.filters.status')}
        codes={INVOICE_STATUSES}
        labelOf={(s) => t(`invoiceStatuses.${s}`)}
        selected={filters.statuses}
        onChange={(v) => set('statuses', v)}
        testId="invoices-filter-status"
      />
      <CodeFilter
        label={t('invoices.filters.kind')}
        codes={INVOICE_KINDS}
        labelOf={(k) => t(`invoiceKinds.${k}`)}
        selected={filters.kinds}
        onChange={(v) => set('kinds', v)}
        testId="invoices-filter-kind"
      />
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
        onChange={(e) => onChange({ ...filters, allOrganizations: e.target.checked, organizationIds: [] })}
        testId="invoices-all-orgs"
      />
    </FilterBar>
  );
}
