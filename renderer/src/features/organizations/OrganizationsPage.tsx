import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { href, navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { useDebounced } from '../../lib/use-debounced';
import { Alert } from '../../ui/Alert';
import { OrgAvatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { IconPlus } from '../../ui/icons';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { SearchInput } from '../../ui/SearchInput';
import { LoadingBlock } from '../../ui/Spinner';
import { MoneyAtAGlance } from '../dashboard/MoneyAtAGlance';
import { FirmBanner, FirstRun } from '../settings/FirstRun';
import { useOrganizationDialogs } from './OrganizationDialogs';

export function OrganizationsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const dialogs = useOrganizationDialogs();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim());
  const all = useApi('organizations.list', {});
  const list = useApi('organizations.list', debounced ? { search: debounced } : {}, { keepPrevious: true });
  const orgs = list.data ?? [];
  const total = all.data?.length ?? 0;

  return (
    <div className="page">
      <PageHeader
        title={t('org.title')}
        subtitle={all.data ? t('org.subtitle', { count: total }) : undefined}
        actions={
          <Button variant="primary" icon={<IconPlus />} onClick={dialogs.openCreate} data-testid="org-create">
            {t('org.create')}
          </Button>
        }
      />
      <div className="page-body">
        {total > 0 && <FirmBanner />}
        {total > 0 && <MoneyAtAGlance />}
        {total > 0 && (
          <div className="toolbar">
            <SearchInput
              value={search}
              onValueChange={setSearch}
              label={t('org.search')}
              clearLabel={t('common.clear')}
              testId="org-search"
              className="toolbar-search"
            />
          </div>
        )}
        {list.isLoading ? (
          <LoadingBlock label={t('common.loading')} />
        ) : list.isError ? (
          <Alert tone="error">{list.error.message}</Alert>
        ) : total === 0 ? (
          <FirstRun onCreateOrganization={dialogs.openCreate} />
        ) : orgs.length === 0 ? (
          <EmptyState title={t('org.noMatch', { search: debounced })} />
        ) : (
          <DataTable
            className="org-table"
            testId="org-table"
            columns={[
              { label: t('org.columns.name'), className: 'org-name-col' },
              { label: t('org.columns.country') },
              { label: t('org.columns.currency') },
              { label: t('org.columns.taxId') },
              { label: t('org.columns.products'), num: true },
              { label: t('org.columns.members'), num: true },
            ]}
          >
            {orgs.map((o) => (
              <tr
                key={o.id}
                className="row-link"
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a')) return;
                  navigate({ name: 'org', orgId: o.id, tab: 'overview' });
                }}
                data-testid="org-row"
                data-org-name={o.name}
              >
                <td>
                  <div className="cell-org">
                    <OrgAvatar name={o.name} color={o.color} logo={o.logo} size={30} />
                    <div className="cell-stack">
                      <a href={href({ name: 'org', orgId: o.id, tab: 'overview' })} className="cell-title">
                        {o.name}
                      </a>
                      <span className="cell-sub">{t(`kinds.${o.kind}`)}</span>
                    </div>
                  </div>
                </td>
                <td>
                  <span className="country" title={fmt.country(o.country)}>
                    <span className="country-code">{o.country}</span>
                    <span className="country-name">{fmt.country(o.country)}</span>
                  </span>
                </td>
                <td>
                  <span className="mono-pill">{o.currency}</span>
                </td>
                {/* One line: at 1024 px "CHE-116.281.710" broke at its hyphen and the name beside it went to three lines. */}
                <td className="mono nowrap">{o.uid ?? o.vatNumber ?? <span className="muted">—</span>}</td>
                <td className="num">{fmt.number(o.productCount)}</td>
                <td className="num">{fmt.number(o.memberCount)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </div>
  );
}
