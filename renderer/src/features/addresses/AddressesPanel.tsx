import { useMemo, useState } from 'react';
import { useMay } from '../../app/acting';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES } from '#common/countries';
import { useApi, useApiMutation } from '../../api/queries';
import type { BillingAddress } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ConfirmDialog, Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { IconMapPin, IconPencil, IconPlus, IconStar, IconTrash } from '../../ui/icons';
import { EmptyState } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
      <div className="panel-header">
        <div>
          <h2 className="panel-title">{t('addresses.title')}</h2>
          <p className="panel-subtitle">{t('addresses.subtitle')}</p>
        </div>
        {may('billing_addresses', 'insert') && (
          <Button
            variant="primary"
            icon={<IconPlus />}
            onClick={() => setEditing('new')}
            data-testid="address-add"
          >
            {t('addresses.add')}
          </Button>
        )}
      </div>
      {error && (
        <Alert tone="error" testId="addresses-error">
          {error}
        </Alert>
      )}
      {addresses.isLoading ? (
        <LoadingBlock label={t('common.loading')} />
      ) : addresses.isError ? (
        <Alert tone="error">{addresses.error.message}</Alert>
      ) : list.length === 0 ? (
        <EmptyState
          icon={<IconMapPin size={22} />}
          title={t('addresses.emptyTitle')}
          body={t('addresses.emptyBody')}
          testId="addresses-empty"
        />
      ) : (
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
                  <Button
                    size="sm"
                    variant="ghost"
                    icon={<IconPencil size={14} />}
                    onClick={() => setEditing(a)}
                    data-testid="address-edit"
                  >
                    {t('common.edit')}
                  </Button>
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
                  <Button
                    size="sm"
                    variant="ghost"
                    className="danger-text"
                    icon={<IconTrash size={14} />}
                    onClick={() => {
                      remove.reset();
                      setDeleting(a);
                    }}
                    data-testid="address-delete"
                  >
                    {t('common.delete')}
                  </Button>
                )}
              </footer>
            </article>
          ))}
        </div>
      )}
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

function AddressDialog({
  open,
  orgId,
  orgCountry,
  address,
  first,
  onClose,
}: {
  open: boolean;
  orgId: string;
  orgCountry: string;
  address: BillingAddress | null;
  first: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={address ? t('addresses.editTitle') : t('addresses.addTitle')}
      testId="address-form"
      bare
    >
      {open && (
        <AddressForm
          orgId={orgId}
          orgCountry={orgCountry}
          address={address}
          first={first}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

interface AddressState {
  label: string;
  recipient: string;
  /** Street and building number apart (QR-bill v2.3); an unsplit address shows its whole line as the street. */
  street: string;
  buildingNumber: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
  email: string;
  isDefault: boolean;
}

function AddressForm({
  orgId,
  orgCountry,
  address,
  first,
  onClose,
}: {
  orgId: string;
  orgCountry: string;
  address: BillingAddress | null;
  first: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [s, setS] = useState<AddressState>(() => ({
    label: address?.label ?? '',
    recipient: address?.recipient ?? '',
    street: address?.street ?? address?.line1 ?? '',
    buildingNumber: address?.buildingNumber ?? '',
    line2: address?.line2 ?? '',
    postalCode: address?.postalCode ?? '',
    city: address?.city ?? '',
    country: address?.country ?? orgCountry,
    email: address?.email ?? '',
    isDefault: first,
  }));
  const [submitted, setSubmitted] = useState(false);
  const set = <K extends keyof AddressState>(key: K, value: AddressState[K]) =>
    setS((x) => ({ ...x, [key]: value }));
  const countries = useMemo(
    () =>
      COUNTRY_CODES.map((c) => ({ value: c, label: fmt.country(c) })).sort((a, b) =>
        a.label.localeCompare(b.label, fmt.locale),
      ),
    [fmt],
  );
  const required = t('common.required');
  const errors = {
    label: s.label.trim() ? null : required,
    recipient: s.recipient.trim() ? null : required,
    street: s.street.trim() ? null : required,
    postalCode: s.postalCode.trim() ? null : required,
    city: s.city.trim() ? null : required,
    email: s.email.trim() && !EMAIL.test(s.email.trim()) ? t('members.form.emailInvalid') : null,
  };
  const invalid = Object.values(errors).some(Boolean);
  const done = (label: string) => {
    toast.success(address ? t('addresses.saved', { label }) : t('addresses.created', { label }));
    onClose();
  };
  const create = useApiMutation('addresses.create', { onSuccess: (a) => done(a.label) });
  const update = useApiMutation('addresses.update', { onSuccess: (a) => done(a.label) });
  const failure = create.error ?? update.error;

  const submit = () => {
    setSubmitted(true);
    if (invalid) return;
    const fields = {
      label: s.label.trim(),
      recipient: s.recipient.trim(),
      street: s.street.trim(),
      buildingNumber: s.buildingNumber.trim() || null,
      line2: s.line2.trim() || null,
      postalCode: s.postalCode.trim(),
      city: s.city.trim(),
      country: s.country,
      email: s.email.trim() || null,
    };
    if (address) update.mutate({ id: address.id, ...fields });
    else create.mutate({ organizationId: orgId, ...fields, isDefault: s.isDefault });
  };
  const err = (key: keyof typeof errors) => (submitted ? errors[key] : null);

  return (
    <form
      className="dialog-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="dialog-body">
        <div className="form-grid-2">
          <TextField
            label={t('addresses.form.label')}
            value={s.label}
            onChange={(e) => set('label', e.target.value)}
            error={err('label')}
            placeholder={t('addresses.form.labelPlaceholder')}
            autoFocus
            testId="address-form-label"
          />
          <TextField
            label={t('addresses.form.recipient')}
            value={s.recipient}
            onChange={(e) => set('recipient', e.target.value)}
            error={err('recipient')}
            testId="address-form-recipient"
          />
          <TextField
            label={t('addresses.street')}
            value={s.street}
            onChange={(e) => set('street', e.target.value)}
            error={err('street')}
            autoComplete="address-line1"
            testId="address-form-line1"
          />
          <TextField
            label={t('addresses.buildingNumber')}
            optional={t('common.optional')}
            value={s.buildingNumber}
            onChange={(e) => set('buildingNumber', e.target.value)}
            testId="address-form-building-number"
          />
          <TextField
            label={t('addresses.form.line2')}
            optional={t('common.optional')}
            value={s.line2}
            onChange={(e) => set('line2', e.target.value)}
            fieldClassName="span-2"
            autoComplete="address-line2"
            testId="address-form-line2"
          />
          <TextField
            label={t('addresses.form.postalCode')}
            value={s.postalCode}
            onChange={(e) => set('postalCode', e.target.value)}
            error={err('postalCode')}
            autoComplete="postal-code"
            testId="address-form-postal"
          />
          <TextField
            label={t('addresses.form.city')}
            value={s.city}
            onChange={(e) => set('city', e.target.value)}
            error={err('city')}
            autoComplete="address-level2"
            testId="address-form-city"
          />
          <SelectField
            label={t('addresses.form.country')}
            value={s.country}
            onChange={(e) => set('country', e.target.value)}
            options={countries}
            testId="address-form-country"
          />
          <TextField
            label={t('addresses.form.email')}
            optional={t('common.optional')}
            type="email"
            value={s.email}
            onChange={(e) => set('email', e.target.value)}
            error={err('email')}
            hint={t('addresses.form.emailHint')}
            testId="address-form-email"
          />
        </div>
        {!address && (
          <Checkbox
            label={t('addresses.form.makeDefault')}
            description={first ? t('addresses.form.firstIsDefault') : undefined}
            checked={s.isDefault || first}
            disabled={first}
            onChange={(e) => set('isDefault', e.target.checked)}
            testId="address-form-default"
          />
        )}
        {failure && (
          <Alert tone="error" testId="address-form-error">
            {failure.message}
          </Alert>
        )}
      </div>
      <div className="dialog-footer">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="submit"
          variant="primary"
          loading={create.isPending || update.isPending}
          data-testid="address-form-submit"
        >
          {address ? t('common.save') : t('addresses.add')}
        </Button>
      </div>
    </form>
  );
}
