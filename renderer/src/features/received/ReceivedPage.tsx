import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CSV_PROFILE_IDS } from '#common/invoices.schema';
import { call, save } from '../../api/client';
import { readBase64 } from '../../api/files';
import { errorMessage, invalidateAfter, useApi } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { QueryState } from '../../ui/QueryState';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Select } from '../../ui/Field';
import { IconUpload } from '../../ui/icons';
import { IconDownload } from '../invoices/icons';
import { Card, EmptyState, PageHeader } from '../../ui/Layout';
import { SearchInput } from '../../ui/SearchInput';
import { useToast } from '../../ui/Toast';
import { InvoicesTabs } from '../invoices/InvoicesTabs';
import '../invoices/invoices.css';
import './received.css';

type Outcome = Awaited<ReturnType<typeof call<'received.import'>>>['results'][number];
type Status = 'all' | 'open' | 'paid';

/**
 * The suppliers' e-invoices an organization received: import (Factur-X PDFs, CII and UBL files,
 * each checked on the way in), the list with what is still to pay, and the accountant's export.
 */
export function ReceivedPage({ orgId }: { orgId: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<Status>('all');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [profile, setProfile] = useState<(typeof CSV_PROFILE_IDS)[number]>('spreadsheet');
  const list = useApi(
    'received.list',
    { organizationId: orgId, status, search: search.trim() || undefined, limit: 200 },
    { keepPrevious: true },
  );
  const locale = (['fr', 'de'].includes(i18n.language) ? i18n.language : 'en') as 'en' | 'fr' | 'de';

  const importFiles = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    setOutcomes([]);
    try {
      // One call per file: a call's body stays within the web host's limit whatever the
      // number of files, and each file's outcome shows as soon as it is known.
      for (const file of [...files]) {
        const uploads = [{ name: file.name, contentBase64: await readBase64(file) }];
        const { results } = await call('received.import', { uploads, organizationId: orgId, locale });
        setOutcomes((before) => [...before, ...results]);
      }
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      // The files imported before a failure are there: the list shows them.
      invalidateAfter(client, 'received.import');
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      await save('received.exportFile', {
        format,
        profile,
        locale,
        filters: { organizationId: orgId, status },
      });
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };

  const rows = list.data?.rows ?? [];
  return (
    <div className="page">
      <PageHeader
        title={t('invoices.title')}
        subtitle={t('einvoice.received.subtitle')}
        actions={
          <>
            <input
              ref={input}
              type="file"
              multiple
              accept=".pdf,.xml,application/pdf,application/xml,text/xml"
              className="visually-hidden"
              onChange={(e) => void importFiles(e.target.files)}
              data-testid="received-file-input"
              aria-label={t('einvoice.received.import')}
            />
            <Button
              variant="primary"
              icon={<IconUpload size={14} />}
              loading={busy}
              onClick={() => input.current?.click()}
              data-testid="received-import"
            >
              {t('einvoice.received.import')}
            </Button>
          </>
        }
      >
        <InvoicesTabs orgId={orgId} current="received" />
      </PageHeader>
      <div className="page-body">
        <p className="muted">{t('einvoice.received.importHint')}</p>
        {outcomes.length > 0 && (
          <Card title={t('einvoice.received.resultsTitle')}>
            <ul className="received-outcomes" data-testid="received-outcomes">
              {outcomes.map((o, i) => (
                <li key={`${o.file}-${i}`} data-testid="received-outcome" data-status={o.status}>
                  {o.status === 'imported' ? (
                    <Alert tone="success">
                      <a href={href({ name: 'receivedDoc', orgId, receivedId: o.id ?? '' })}>
                        {o.file}: {t('einvoice.received.imported', { number: o.number ?? '' })}
                      </a>
                    </Alert>
                  ) : (
                    <Alert tone={o.status === 'duplicate' ? 'warning' : 'error'}>{o.message}</Alert>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        )}
        <div className="received-toolbar">
          <SearchInput
            value={search}
            onValueChange={setSearch}
            label={t('einvoice.received.search')}
            clearLabel={t('invoices.filters.clear')}
            testId="received-search"
          />
          <Select
            value={status}
            onChange={(e) => setStatus(e.target.value as Status)}
            aria-label={t('einvoice.received.columns.status')}
            options={[
              { value: 'all', label: t('einvoice.received.status.all') },
              { value: 'open', label: t('einvoice.received.status.openFilter') },
              { value: 'paid', label: t('einvoice.received.status.paidFilter') },
            ]}
            data-testid="received-status"
          />
          <span className="received-toolbar-gap" />
          <Select
            value={profile}
            onChange={(e) => setProfile(e.target.value as (typeof CSV_PROFILE_IDS)[number])}
            aria-label={t('einvoice.received.profile')}
            options={CSV_PROFILE_IDS.map((p) => ({ value: p, label: t(`invoices.export.profiles.${p}`) }))}
            data-testid="received-profile"
          />
          <Button
            icon={<IconDownload size={14} />}
            onClick={() => void exportAs('csv')}
            data-testid="received-export-csv"
          >
            {t('einvoice.received.exportCsv')}
          </Button>
          <Button
            icon={<IconDownload size={14} />}
            onClick={() => void exportAs('xlsx')}
            data-testid="received-export-xlsx"
          >
            {t('einvoice.received.exportXlsx')}
          </Button>
        </div>
        <QueryState
          query={list}
          isEmpty={() => rows.length === 0}
          empty={
            <EmptyState
              icon={<IconUpload size={22} />}
              title={t('einvoice.received.emptyTitle')}
              body={t('einvoice.received.emptyBody')}
              testId="received-empty"
            />
          }
        >
          {() => (
            <div className="table-card">
              <table
                className="table"
                aria-label={t('einvoice.received.tableLabel')}
                data-testid="received-table"
              >
                <thead>
                  <tr>
                    <th scope="col">{t('einvoice.received.columns.number')}</th>
                    <th scope="col">{t('einvoice.received.columns.seller')}</th>
                    <th scope="col">{t('einvoice.received.columns.issued')}</th>
                    <th scope="col">{t('einvoice.received.columns.due')}</th>
                    <th scope="col">{t('einvoice.received.columns.format')}</th>
                    <th scope="col">{t('einvoice.received.columns.status')}</th>
                    <th scope="col" className="num">
                      {t('einvoice.received.columns.total')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="received-row" data-number={r.number}>
                      <td>
                        <a href={href({ name: 'receivedDoc', orgId, receivedId: r.id })}>{r.number}</a>
                        {r.creditNote && (
                          <>
                            {' '}
                            <Badge tone="violet">{t('einvoice.received.creditNote')}</Badge>
                          </>
                        )}
                      </td>
                      <td>{r.sellerName}</td>
                      <td>{fmt.date(r.issuedOn)}</td>
                      <td>{fmt.date(r.dueOn)}</td>
                      <td>{r.format}</td>
                      <td>
                        {r.paidOn ? (
                          <Badge tone="green">
                            {t('einvoice.received.status.paid', { date: fmt.date(r.paidOn) })}
                          </Badge>
                        ) : (
                          <Badge tone="amber">{t('einvoice.received.status.open')}</Badge>
                        )}
                      </td>
                      <td className="num">
                        {fmt.money(r.creditNote ? -r.grossMinor : r.grossMinor, r.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {list.data?.more && (
                <p className="muted" data-testid="received-more">
                  {t('einvoice.received.more', { count: rows.length })}
                </p>
              )}
            </div>
          )}
        </QueryState>
      </div>
    </div>
  );
}
