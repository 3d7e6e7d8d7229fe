import { useState } from 'react';
import { useMay } from '../../app/acting';
import { useTranslation } from 'react-i18next';
import { useApi, useApiMutation } from '../../api/queries';
import type { BillingAddress } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { QueryState } from '../../ui/QueryState';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { IconMapPin, IconStar } from '../../ui/icons';
import { DeleteAction, EditAction } from '../../ui/RowActions';
import { EmptyState, PanelHeader } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { AddressDialog } from './AddressDialog';

export function AddressesPanel({ orgId, orgCountry }: { orgId: string; orgCountry: string }) {
  const may = useMay(orgId);
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const addresses = useApi('addresses.list', { organizationId: orgId });
  const [editing, setEditing] = useState<BillingAddress | 'new' | null>(null);
  const [deleting, setDeleting] = useState<BillingAddress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setDefault = useApiMutation('addresses.setDefault', {
    onSuccess: (a) => {
      setError(null);
      toast.success(t('addresses.defaultSet', { label: a.label }));
    },
    onError: (e) => setError(e.message),
  });
  const remove = useApiMutation('addresses.delete', {
    onSuccess: (a) => {
      setDeleting(null);
      toast.success(t('addresses.deleted', { label: a.label }));
    },
  });
  const list = addresses.data ?? [];

  return (
    <div className="panel">
      <PanelHeader
        title={t('addresses.title')}
        subtitle={t('addresses.subtitle')}
        add={
          may('billing_addresses', 'insert') && {
            label: t('addresses.add'),
            onPress: () => setEditing('new'),
            testId: 'address-add',
          }
        }
      />
      {error && (
        <Alert tone="error" testId="addresses-error">
          {error}
        </Alert>
      )}
      <QueryState
        query={addresses}
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            icon={<IconMapPin size={22} />}
            title={t('addresses.emptyTitle')}
            body={t('addresses.emptyBody')}
            testId="addresses-empty"
          />
        }
      >
        {() => (
          <div className="card-grid">
            {list.map((a) => (
              <article
                key={a.id}
                className={`address-card${a.isDefault ? ' address-default' : ''}`}
                data-testid="address-card"
                data-address-label={a.label}
              >
                <header className="address-card-header">
                  <h3 className="address-label">{a.label}</h3>
                  {a.isDefault && (
                    <Badge tone="accent" testId="address-default-badge">
                      {t('addresses.default')}
                    </Badge>
                  )}
                </header>
                <address className="address-lines">
                  <span className="address-recipient">{a.recipient}</span>
                  <span>{a.line1}</span>
                  {a.line2 && <span>{a.line2}</span>}
                  <span>
                    {a.postalCode} {a.city}
                  </span>
                  <span>{fmt.country(a.country)}</span>
                  {a.email && <span className="address-email">{a.email}</span>}
                </address>
                <footer className="address-actions">
                  {may('billing_addresses', 'update') && (
                    <EditAction onPress={() => setEditing(a)} testId="address-edit" />
                  )}
                  {!a.isDefault && may('billing_addresses', 'update', { column: 'is_default' }) && (
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<IconStar size={14} />}
                      onClick={() => setDefault.mutate({ id: a.id })}
                      loading={setDefault.isPending && setDefault.variables?.id === a.id}
                      data-testid="address-set-default"
                    >
                      {t('addresses.makeDefault')}
                    </Button>
                  )}
                  {may('billing_addresses', 'tombstone') && (
                    <DeleteAction
                      onPress={() => {
                        remove.reset();
                        setDeleting(a);
                      }}
                      testId="address-delete"
                    />
                  )}
                </footer>
              </article>
            ))}
          </div>
        )}
      </QueryState>
      <AddressDialog
        open={editing !== null}
        orgId={orgId}
        orgCountry={orgCountry}
        address={editing === 'new' ? null : editing}
        first={list.length === 0}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('addresses.deleteTitle', { label: deleting?.label ?? '' })}
        body={t('addresses.deleteBody')}
        confirmLabel={t('common.delete')}
        busy={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      />
    </div>
  );
}
