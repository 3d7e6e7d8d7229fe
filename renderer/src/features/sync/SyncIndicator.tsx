import './sync.css';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';

/** Polls the sync status: background rounds are not API calls, so no `changed` event says so. */
export function useSyncStatus() {
  const { i18n } = useTranslation();
  const query = useApi('sync.status', { locale: i18n.language }, { staleTime: 4_000 });
  const client = useQueryClient();
  const refetch = query.refetch;
  useEffect(() => {
    const timer = setInterval(() => void refetch(), 5_000);
    return () => clearInterval(timer);
  }, [refetch]);
  // A round that brought changes: every screen may show stale data now.
  const lastSync = useRef<string | null | undefined>(undefined);
  const synced = query.data?.lastSyncAt;
  useEffect(() => {
    if (synced === undefined) return;
    if (lastSync.current !== undefined && lastSync.current !== synced) void client.invalidateQueries();
    lastSync.current = synced;
  }, [synced, client]);
  return query;
}

/** Always visible (sidebar foot): last sync, pending and refused changes, offline or read-only. */
export function SyncIndicator() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data } = useSyncStatus();
  if (!data?.hubUrl) return null;
  const state = data.readOnly
    ? 'readonly'
    : data.lastError
      ? 'error'
      : data.rejections > 0
        ? 'warning'
        : 'ok';
  const label = data.readOnly
    ? t('sync.readOnly')
    : data.lastError
      ? t('sync.offline')
      : data.lastSyncAt
        ? t('sync.lastSync', { when: fmt.dateTime(data.lastSyncAt) })
        : t('sync.never');
  return (
    <a
      className={`sync-indicator sync-${state}`}
      href={href({ name: 'sync' })}
      title={data.lastError?.message ?? label}
      data-testid="sync-indicator"
    >
      <span className="connection-dot" aria-hidden="true" />
      <span>{label}</span>
      {data.pending > 0 && (
        <span className="badge">
          {t('sync.pendingShort', { count: data.pending, n: fmt.number(data.pending) })}
        </span>
      )}
      {data.rejections > 0 && (
        <span className="badge badge-warning">
          {t('sync.rejectedShort', { count: data.rejections, n: fmt.number(data.rejections) })}
        </span>
      )}
    </a>
  );
}
