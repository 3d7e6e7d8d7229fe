import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, ORGANIZATION_KINDS } from '#common/enums';
import { COUNTRY_CODES } from '#common/countries';
import { colorFor } from '#common/organization-display';
import type { ApiCallError } from '../../api/client';
import { errorMessage, useApiMutation } from '../../api/queries';
import type { Organization } from '../../api/types';
import { navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { OrgAvatar } from '../../ui/Avatar';
import { useLogoFile } from './logo-file';
import { Button } from '../../ui/Button';
import { ColorPicker } from '../../ui/ColorPicker';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { CodeSelectField, FieldShell, SelectField, TextField } from '../../ui/Field';
import { IconCheckCircle, IconUpload } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import {
  EinvoiceFields,
  type EinvoiceState,
  einvoiceInput,
  initialEinvoice,
} from './EinvoiceFields';
import { InvoiceCodeField, invoiceCodeError, invoiceCodeInput } from './InvoiceCodeField';
import {
  currencyFor,
  fieldErrorsOf,
  initialState,
  type OrganizationFormState,
  REMINDER_DAYS,
} from './organization-form-state';
import { checkTaxNumber, taxIdKind } from './tax-id';

export function OrganizationForm({
  open,
  organization,
  onClose,
}: {
  open: boolean;
  organization: Organization | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={organization ? t('org.form.editTitle') : t('org.form.createTitle')}
      size="lg"
      testId="org-form"
    >
      <OrganizationFormBody key={organization?.id ?? 'new'} organization={organization} onClose={onClose} />
    </FormDialog>
  );
}

function OrganizationFormBody({
  organization,
  onClose,
}: {
  organization: Organization | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [state, setState] = useState<OrganizationFormState>(() => initialState(organization));
  const [currencyTouched, setCurrencyTouched] = useState(organization !== null);
  const [taxTouched, setTaxTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const logo = useLogoFile((dataUrl) => set('logo', dataUrl));
  const logoError = logo.error;
  const [serverError, setServerError] = useState<ApiCallError | Error | null>(null);
  const [einvoice, setEinvoice] = useState<EinvoiceState>(() => initialEinvoice(organization));
  const fileInput = useRef<HTMLInputElement>(null);

  const set = <K extends keyof OrganizationFormState>(key: K, value: OrganizationFormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));

  const countries = useMemo(
    () =>
      COUNTRY_CODES.map((code) => ({ value: code, label: fmt.country(code) })).sort((a, b) =>
        a.label.localeCompare(b.label, fmt.locale),
      ),
    [fmt],
  );

  const taxKind = taxIdKind(state.kind, state.country);
  const taxCheck = taxKind ? checkTaxNumber(state.taxId, state.country) : null;
  const nameError = state.name.trim() === '' ? t('org.form.nameRequired') : null;
  const taxError = taxCheck && !taxCheck.valid ? t(`org.vatReasons.${taxCheck.reason}`) : null;
  const showTaxError = (taxTouched || submitted) && taxError;
  // The colour the server gives an organization without one: the same rule, from common/.
  const color = state.color ?? colorFor(state.name);

  const create = useApiMutation('organizations.create', {
    onSuccess: (org) => {
      toast.success(t('org.created', { name: org.name }));
      onClose();
      navigate({ name: 'org', orgId: org.id, tab: 'overview' });
    },
    onError: (error) => setServerError(error),
  });
  const update = useApiMutation('organizations.update', {
    onSuccess: (org) => {
      toast.success(t('org.saved', { name: org.name }));
      onClose();
    },
    onError: (error) => setServerError(error),
  });
  const busy = create.isPending || update.isPending;

  const serverFieldErrors = useMemo(() => fieldErrorsOf(serverError), [serverError]);

  const submit = () => {
    setSubmitted(true);
    setServerError(null);
    if (nameError || taxError || logoError || invoiceCodeError(state.invoiceCode)) return;
    const taxValue = state.taxId.trim() || null;
    const common = {
      kind: state.kind,
      name: state.name.trim(),
      country: state.country,
      currency: state.currency,
      vatNumber: taxKind === 'vat' ? taxValue : null,
      uid: taxKind === 'uid' ? taxValue : null,
      color,
      logo: state.logo,
      renewalReminderDays: state.reminderDays ? Number(state.reminderDays) : null,
      invoiceCode: invoiceCodeInput(state.invoiceCode),
      ...einvoiceInput(einvoice, state.country),
    };
    if (organization) update.mutate({ id: organization.id, ...common });
    else create.mutate(common);
  };

  const onCountry = (country: string) => {
    setState((s) => ({ ...s, country, currency: currencyTouched ? s.currency : currencyFor(country) }));
  };

  const reminderOptions = [
    { value: '', label: t('org.form.remindersOff') },
    ...[...new Set([...REMINDER_DAYS, ...(state.reminderDays ? [Number(state.reminderDays)] : [])])]
      .sort((a, b) => a - b)
      .map((d) => ({ value: String(d), label: t('org.form.remindersDays', { count: d }) })),
  ];

  return (
    <DialogForm
      onSubmit={() => {
        submit();
      }}
      onCancel={onClose}
      error={serverError ? errorMessage(serverError) : null}
      errorTestId="org-form-error"
      submit={{
        label: organization ? t('common.save') : t('org.form.submitCreate'),
        loading: busy,
        testId: 'org-form-submit',
      }}
    >
      <div className="org-form-grid">
        <div className="org-form-main">
          <CodeSelectField
            label={t('org.form.kind')}
            codes={ORGANIZATION_KINDS}
            labelOf={(k) => t(`kinds.${k}`)}
            value={state.kind}
            onChange={(k) => set('kind', k)}
            testId="org-form-kind"
          />
          <TextField
            label={t('org.form.name')}
            value={state.name}
            onChange={(e) => set('name', e.target.value)}
            placeholder={
              state.kind === 'company'
                ? t('org.form.namePlaceholderCompany')
                : t('org.form.namePlaceholderIndividual')
            }
            error={(submitted && nameError) || serverFieldErrors.name}
            maxLength={200}
            autoFocus
            testId="org-form-name"
            autoComplete="organization"
          />
          <div className="form-row">
            <SelectField
              label={t('org.form.country')}
              value={state.country}
              onChange={(e) => onCountry(e.target.value)}
              options={countries}
              error={serverFieldErrors.country}
              testId="org-form-country"
              fieldClassName="grow"
            />
            <CodeSelectField
              label={t('org.form.currency')}
              codes={CURRENCIES}
              labelOf={(c) => c}
              value={state.currency}
              onChange={(c) => {
                setCurrencyTouched(true);
                set('currency', c);
              }}
              testId="org-form-currency"
            />
          </div>
          {taxKind ? (
            <TextField
              label={taxKind === 'uid' ? t('org.form.uid') : t('org.form.vatNumber')}
              optional={t('common.optional')}
              value={state.taxId}
              onChange={(e) => {
                set('taxId', e.target.value);
                if (serverError) setServerError(null);
              }}
              onBlur={() => setTaxTouched(true)}
              placeholder={
                taxKind === 'uid'
                  ? 'CHE-123.456.789'
                  : t('org.form.vatPlaceholder', { prefix: state.country === 'GR' ? 'EL' : state.country })
              }
              error={
                (showTaxError ? taxError : null) ||
                serverFieldErrors.taxId ||
                serverFieldErrors.vatNumber ||
                serverFieldErrors.uid
              }
              status={
                taxCheck?.valid ? (
                  <span className="valid-status">
                    <IconCheckCircle size={14} />{' '}
                    {t('org.form.taxIdValid', { normalized: taxCheck.normalized })}
                  </span>
                ) : undefined
              }
              hint={taxKind === 'uid' ? t('org.form.uidHint') : t('org.form.vatHint')}
              statusTestId="org-form-vat-status"
              testId="org-form-vat"
              spellCheck={false}
              autoComplete="off"
            />
          ) : (
            <p className="form-note" data-testid="org-form-vat-none">
              {state.kind === 'individual'
                ? t('org.form.noTaxIdIndividual')
                : t('org.form.noTaxIdCountry', { country: fmt.country(state.country) })}
            </p>
          )}
          <EinvoiceFields
            state={einvoice}
            country={state.country}
            errors={serverFieldErrors}
            onChange={(next) => {
              setEinvoice(next);
              if (serverError) setServerError(null);
            }}
          />
          <InvoiceCodeField
            organizationId={organization?.id ?? null}
            value={state.invoiceCode}
            onChange={(code) => {
              set('invoiceCode', code);
              if (serverError) setServerError(null);
            }}
            showError={submitted}
            serverError={serverFieldErrors.invoiceCode}
          />
          <SelectField
            label={t('org.form.reminders')}
            value={state.reminderDays}
            onChange={(e) => set('reminderDays', e.target.value)}
            options={reminderOptions}
            hint={t('org.form.remindersHint')}
            testId="org-form-reminders"
          />
        </div>
        <div className="org-form-side">
          <FieldShell id="org-form-appearance" label={t('org.form.appearance')}>
            <div className="org-preview" id="org-form-appearance">
              <OrgAvatar name={state.name || '?'} color={color} logo={state.logo} size={64} />
              <div className="org-preview-actions">
                <input
                  ref={fileInput}
                  type="file"
                  accept={logo.accept}
                  className="visually-hidden"
                  onChange={logo.onChange}
                  tabIndex={-1}
                  aria-hidden="true"
                  data-testid="org-form-logo-input"
                />
                <Button
                  size="sm"
                  icon={<IconUpload size={14} />}
                  onClick={() => fileInput.current?.click()}
                  data-testid="org-form-logo"
                >
                  {state.logo ? t('org.form.logoReplace') : t('org.form.logoUpload')}
                </Button>
                {state.logo && (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => set('logo', null)}
                    data-testid="org-form-logo-remove"
                  >
                    {t('org.form.logoRemove')}
                  </Button>
                )}
              </div>
            </div>
          </FieldShell>
          {logoError ? (
            <p className="field-error" role="alert" data-testid="org-form-logo-error">
              {logoError}
            </p>
          ) : (
            <p className="field-hint">{logo.hint}</p>
          )}
          <div className="field">
            <span className="field-label">{t('org.form.color')}</span>
            <ColorPicker
              value={color}
              onChange={(c) => set('color', c)}
              label={t('org.form.color')}
              testId="org-form-color"
            />
          </div>
        </div>
      </div>
    </DialogForm>
  );
}
