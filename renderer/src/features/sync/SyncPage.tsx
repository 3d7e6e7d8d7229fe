import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { useSyncStatus } from './SyncIndicator';

export function SyncPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeader title={t('sync.title')} subtitle={t('sync.subtitle')} />
      <div className="page-body page-narrow">
        <StatusCard />
        <RejectionsCard />
        <HubCard />
      </div>
    </div>
  );
}

function StatusCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const { data, isLoading, refetch } = useSyncStatus();
  const cancel = useApiMutation('sync.cancel');
  const now = useApiMutation('sync.now', {
    onSuccess: (r) =>
      toast.success(
        t('sync.roundDone', {
          pushed: fmt.number(r.pushed),
          applied: fmt.number(r.applied),
          rejected: fmt.number(r.rejected),
        }),
      ),
  });
  const running = now.isPending || Boolean(data?.progress);
  // While a round runs, its progress every second (the status otherwise refreshes every 5 s).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refetch(), 1_000);
    return () => clearInterval(timer);
  }, [running, refetch]);
  if (isLoading || !data) return <LoadingBlock label={t('common.loading')} />;
  const progress = data.progress;
  return (
    <Card
      title={t('sync.status')}
      actions={
        data.enrolled && !data.readOnly ? (
          <Button
            variant="primary"
            loading={now.isPending}
            onClick={() => now.mutate({})}
            data-testid="sync-now"
          >
            {t('sync.now')}
          </Button>
        ) : undefined
      }
    >
      {data.readOnly && (
        <Alert tone="error" title={t('sync.readOnly')}>
          {data.lastError?.message}
        </Alert>
      )}
      {!data.readOnly && data.lastError && (
        <Alert tone="warning" testId="sync-error">
          {data.lastError.message}
        </Alert>
      )}
      {now.error && <Alert tone="error">{now.error.message}</Alert>}
      {progress && (
        <div className="sync-progress" data-testid="sync-progress">
          <progress
            max={progress.total ?? undefined}
            value={progress.total !== null ? Math.min(progress.done, progress.total) : undefined}
          />
          <span>
            {progress.indexes
              ? t('sync.progressIndexing', {
                  done: fmt.number(progress.indexes.done),
                  total: fmt.number(progress.indexes.total),
                })
              : progress.total !== null
                ? t('sync.progress', {
                    done: fmt.number(progress.done),
                    total: fmt.number(progress.total),
                    rate: fmt.number(progress.rowsPerSecond),
                  })
                : t('sync.progressNoTotal', {
                    done: fmt.number(progress.done),
                    rate: fmt.number(progress.rowsPerSecond),
                  })}
          </span>
          <Button size="sm" variant="ghost" onClick={() => cancel.mutate({})} data-testid="sync-cancel">
            {t('sync.cancel')}
          </Button>
        </div>
      )}
      {data.deferredMessage && <Alert tone="warning">{data.deferredMessage}</Alert>}
      <dl className="detail-list" data-testid="sync-status">
        <dt>{t('sync.hub')}</dt>
        <dd>{data.hubUrl ?? t('sync.notSet')}</dd>
        <dt>{t('sync.device')}</dt>
        <dd>
          {data.deviceId}
          {data.seriesCode ? ` · ${t('sync.series', { code: data.seriesCode })}` : ''}
        </dd>
        <dt>{t('sync.lastSyncLabel')}</dt>
        <dd>{data.lastSyncAt ? fmt.dateTime(data.lastSyncAt) : t('sync.never')}</dd>
        <dt>{t('sync.pending')}</dt>
        <dd data-testid="sync-pending">{fmt.number(data.pending)}</dd>
        <dt>{t('sync.rejected')}</dt>
        <dd>{fmt.number(data.rejections)}</dd>
        <dt>{t('sync.deferred')}</dt>
        <dd data-testid="sync-deferred">{fmt.number(data.deferred)}</dd>
      </dl>
    </Card>
  );
}

function RejectionsCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data } = useApi('sync.rejections', {});
  const resolve = useApiMutation('sync.resolve');
  if (!data || data.length === 0) return null;
  return (
    <Card title={t('sync.rejectionsTitle')}>
      <ul className="sync-rejections" data-testid="sync-rejections">
        {data.map((r) => (
          <li key={r.id}>
            <p>
              <strong>
                {r.table} · {r.column === '*' ? t('sync.wholeRow') : r.column}
              </strong>{' '}
              <span className="muted">{fmt.dateTime(r.rejectedAt)}</span>
            </p>
            <p>{r.message}</p>
            <div className="row-actions">
              <Button size="sm" onClick={() => resolve.mutate({ id: r.id, choice: 'keepMine' })}>
                {r.table === 'invoices' ? t('sync.keepMineDraft') : t('sync.keepMine')}
              </Button>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => resolve.mutate({ id: r.id, choice: 'acceptTheirs' })}
              >
                {t('sync.acceptTheirs')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {resolve.error && <Alert tone="error">{resolve.error.message}</Alert>}
    </Card>
  );
}

function HubCard() {
  const { t } = useTranslation();
  const { data } = useSyncStatus();
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const configure = useApiMutation('sync.configure', { onSuccess: () => setCode('') });
  return (
    <Card title={t('sync.enrollTitle')}>
      <form
        className="form-grid-2"
        onSubmit={(e) => {
          e.preventDefault();
          configure.mutate({ hubUrl: hubUrl || data?.hubUrl || '', enrollCode: code || undefined });
        }}
      >
        <TextField
          label={t('sync.hub')}
          hint={t('sync.hubHint')}
          placeholder="https://hub.example.ch"
          value={hubUrl || data?.hubUrl || ''}
          onChange={(e) => setHubUrl(e.target.value)}
          testId="sync-hub-url"
        />
        <TextField
          label={t('sync.code')}
          hint={t('sync.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          testId="sync-code"
        />
        <div>
          <Button type="submit" variant="primary" loading={configure.isPending} data-testid="sync-enroll">
            {t('sync.enroll')}
          </Button>
        </div>
      </form>
      {configure.error && <Alert tone="error">{configure.error.message}</Alert>}
    </Card>
  );
}
