import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES } from '#common/countries';
import { useApiMutation } from '../../api/queries';
import type { BillingAddress } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { Checkbox, SelectField, TextField, type TextFieldProps } from '../../ui/Field';
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
    <FormDialog
      open={open}
      onClose={onClose}
      title={address ? t('addresses.editTitle') : t('addresses.addTitle')}
      testId="address-form"
    >
      <AddressForm
        orgId={orgId}
        orgCountry={orgCountry}
        address={address}
        first={first}
        onClose={onClose}
      />
    </FormDialog>
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
type TextKey = Exclude<keyof AddressState, 'country' | 'isDefault'>;

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
  const optional = t('common.optional');
  // One text field of the form: bound to its key, its error shown once a submit was tried.
  const text = (key: TextKey, label: string, testId: string, more: Partial<TextFieldProps> = {}) => (
    <TextField
      label={label}
      value={s[key]}
      onChange={(e) => set(key, e.target.value)}
      error={submitted && key in errors ? errors[key as keyof typeof errors] : null}
      testId={testId}
      {...more}
    />
  );

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
        {text('label', t('addresses.form.label'), 'address-form-label', {
          placeholder: t('addresses.form.labelPlaceholder'),
          autoFocus: true,
        })}
        {text('recipient', t('addresses.form.recipient'), 'address-form-recipient')}
        {text('street', t('addresses.street'), 'address-form-line1', { autoComplete: 'address-line1' })}
        {text('buildingNumber', t('addresses.buildingNumber'), 'address-form-building-number', { optional })}
        {text('line2', t('addresses.form.line2'), 'address-form-line2', {
          optional,
          fieldClassName: 'span-2',
          autoComplete: 'address-line2',
        })}
        {text('postalCode', t('addresses.form.postalCode'), 'address-form-postal', { autoComplete: 'postal-code' })}
        {text('city', t('addresses.form.city'), 'address-form-city', { autoComplete: 'address-level2' })}
        <SelectField
          label={t('addresses.form.country')}
          value={s.country}
          onChange={(e) => set('country', e.target.value)}
          options={countries}
          testId="address-form-country"
        />
        {text('email', t('addresses.form.email'), 'address-form-email', {
          optional,
          type: 'email',
          hint: t('addresses.form.emailHint'),
        })}
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
