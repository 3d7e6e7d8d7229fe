import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES } from '#common/countries';
import { useApiMutation } from '../../api/queries';
import type { BillingAddress } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Dialog, DialogForm } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The dialog that adds or edits one billing address of an organization. */
export function AddressDialog({
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
    <DialogForm
      onSubmit={() => {
        submit();
      }}
      onCancel={onClose}
      error={failure?.message}
      errorTestId="address-form-error"
      submit={{
        label: address ? t('common.save') : t('addresses.add'),
        loading: create.isPending || update.isPending,
        testId: 'address-form-submit',
      }}
    >
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
    </DialogForm>
  );
}
