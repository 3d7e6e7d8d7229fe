// The firm: who issues the invoices. The first-run screen sends here, Settings links here, and
// a refused issue links here for what the firm lacks. One form saves the organization, its
// head-office address and its document defaults together (firm.save).

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES } from '#common/countries';
import { CURRENCIES, type Currency, type DocumentLocale } from '#common/enums';
import { isQrIban, isValidIban } from '#common/payment-reference';
import type { MethodOutput } from '../../api/client';
import { ApiCallError } from '../../api/client';
import { useApi, useApiMutation } from '../../api/queries';
import { navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { textFields } from '../../lib/form-text';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextArea, TextField } from '../../ui/Field';
import { Card, PageHeader } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { useToast } from '../../ui/Toast';
import { useLogoFile } from '../organizations/logo-file';
import { checkTaxNumber, taxIdKind } from '../organizations/tax-id';

type Firm = MethodOutput<'firm.get'>;
const swiss = (country: string) => country === 'CH' || country === 'LI';

interface FirmState {
  name: string;
  shortName: string;
  country: string;
  currency: Currency;
  taxId: string;
  street: string;
  buildingNumber: string;
  postalCode: string;
  city: string;
  email: string;
  iban: string;
  qrIban: string;
  bic: string;
  paymentTermDays: string;
  documentLocale: DocumentLocale;
  invoiceFooter: string;
  logo: string | null;
}

function initial(firm: Firm, uiLanguage: string): FirmState {
  const o = firm.organization;
  const a = firm.address;
  const country = o?.country ?? 'CH';
  const lang = (['en', 'fr', 'de'] as const).find((l) => uiLanguage.startsWith(l)) ?? 'en';
  return {
    ...textFields(o, ['name', 'shortName', 'iban', 'qrIban', 'bic', 'invoiceFooter']),
    ...textFields(a, ['buildingNumber', 'postalCode', 'city', 'email']),
    country,
    currency: o?.currency ?? (swiss(country) ? 'CHF' : 'EUR'),
    taxId: o?.uid ?? o?.vatNumber ?? '',
    street: a?.street ?? a?.line1 ?? '',
    paymentTermDays: String(o?.paymentTermDays ?? 30),
    documentLocale: o?.documentLocale ?? lang,
    logo: o?.logo ?? null,
  };
}

export function FirmPage() {
  const { t, i18n } = useTranslation();
  const firm = useApi('firm.get', {});
  return (
    <div className="page">
      <PageHeader title={t('firm.title')} subtitle={t('firm.subtitle')} />
      <div className="page-body page-narrow">
        <QueryState query={firm}>
          {(data) => (
            <FirmForm
              key={data.organization?.id ?? 'new'}
              firm={data}
              initialState={initial(data, i18n.language)}
            />
          )}
        </QueryState>
      </div>
    </div>
  );
}

/** The server's refusal, on the field it is about. */
function fieldOf(code: string): keyof FirmState | null {
  if (code === 'issuer_iban_invalid') return 'iban';
  if (code === 'qr_iban_invalid') return 'qrIban';
  if (code === 'bic_invalid') return 'bic';
  if (/^(vat_|uid_)/.test(code)) return 'taxId';
  return null;
}

function FirmForm({ firm, initialState }: { firm: Firm; initialState: FirmState }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [s, setS] = useState(initialState);
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<Error | null>(null);
  const logo = useLogoFile((dataUrl) => set('logo', dataUrl));
  const logoError = logo.error;
  const set = <K extends keyof FirmState>(key: K, value: FirmState[K]) =>
    setS((x) => ({ ...x, [key]: value }));
  type TextKey = { [K in keyof FirmState]: FirmState[K] extends string ? K : never }[keyof FirmState];
  const firstRun = firm.organization === null;

  const countries = useMemo(
    () =>
      COUNTRY_CODES.map((code) => ({ value: code, label: fmt.country(code) })).sort((a, b) =>
        a.label.localeCompare(b.label, fmt.locale),
      ),
    [fmt],
  );
  const taxKind = taxIdKind('company', s.country);
  const taxCheck = taxKind ? checkTaxNumber(s.taxId, s.country) : null;
  // Checked here with their check digits, and again by the server.
  const errors: Partial<Record<keyof FirmState, string>> = {};
  if (!s.name.trim()) errors.name = t('firm.required');
  if (!s.street.trim()) errors.street = t('firm.required');
  if (!s.postalCode.trim()) errors.postalCode = t('firm.required');
  if (!s.city.trim()) errors.city = t('firm.required');
  if (taxCheck && !taxCheck.valid) errors.taxId = t(`org.vatReasons.${taxCheck.reason}`);
  if (s.iban.trim() && !isValidIban(s.iban)) errors.iban = t('firm.ibanInvalid');
  if (s.qrIban.trim() && !(isValidIban(s.qrIban) && isQrIban(s.qrIban.replace(/\s/g, '').toUpperCase())))
    errors.qrIban = t('firm.qrIbanInvalid');
  if ([...s.name.trim()].length > 70 && swiss(s.country) && !s.shortName.trim())
    errors.shortName = t('firm.shortNeeded');
  const term = Number(s.paymentTermDays);
  if (!Number.isInteger(term) || term < 0 || term > 365) errors.paymentTermDays = t('firm.termInvalid');
  const clientErrors = Object.keys(errors).length > 0;
  if (serverError instanceof ApiCallError) {
    const field = fieldOf(serverError.code);
    if (field) errors[field] = serverError.message;
  }
  const shown = (key: keyof FirmState) => (submitted ? errors[key] : undefined);

  const save = useApiMutation('firm.save', {
    onSuccess: (saved) => {
      toast.success(t('firm.saved', { name: saved.organization?.name ?? '' }));
      if (firstRun) navigate({ name: 'organizations' });
    },
    onError: setServerError,
  });

  const submit = () => {
    setSubmitted(true);
    setServerError(null);
    if (clientErrors || logoError) return;
    const opt = (v: string) => v.trim() || null;
    save.mutate({
      name: s.name.trim(),
      shortName: opt(s.shortName),
      country: s.country,
      currency: s.currency,
      taxId: taxKind ? opt(s.taxId) : null,
      street: s.street.trim(),
      buildingNumber: opt(s.buildingNumber),
      postalCode: s.postalCode.trim(),
      city: s.city.trim(),
      email: opt(s.email),
      iban: opt(s.iban),
      qrIban: swiss(s.country) ? opt(s.qrIban) : null,
      bic: opt(s.bic),
      paymentTermDays: term,
      documentLocale: s.documentLocale,
      invoiceFooter: opt(s.invoiceFooter),
      logo: s.logo,
    });
  };

  const text = (
    key: TextKey,
    label: string,
    extra: { hint?: string; placeholder?: string; grow?: boolean } = {},
  ) => (
    <TextField
      label={label}
      value={s[key]}
      onChange={(e) => setS((x) => ({ ...x, [key]: e.target.value }))}
      error={shown(key)}
      hint={extra.hint}
      placeholder={extra.placeholder}
      testId={`firm-${key}`}
      fieldClassName={extra.grow ? 'grow' : undefined}
    />
  );

  return (
    <form
      className="firm-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="firm-form"
    >
      {firm.gaps.length > 0 && !firstRun && (
        <Alert tone="warning" testId="firm-gaps">
          {t('firm.gapsIntro')} {firm.gaps.map((g) => t(`firm.gaps.${g}`)).join(', ')}
        </Alert>
      )}
      <Card title={t('firm.identity')}>
        <div className="form-grid-2">
          {text('name', t('firm.name'), { hint: t('firm.nameHint') })}
          {(swiss(s.country) && [...s.name.trim()].length > 70) || s.shortName
            ? text('shortName', t('org.form.einvoice.shortName'))
            : null}
          <SelectField
            label={t('org.form.country')}
            value={s.country}
            onChange={(e) => {
              const country = e.target.value;
              setS((x) => ({ ...x, country, currency: swiss(country) ? 'CHF' : 'EUR' }));
            }}
            options={countries}
            testId="firm-country"
          />
          <SelectField
            label={t('org.form.currency')}
            value={s.currency}
            onChange={(e) => set('currency', e.target.value as Currency)}
            options={CURRENCIES.map((code) => ({ value: code, label: code }))}
            testId="firm-currency"
          />
          {taxKind &&
            text('taxId', taxKind === 'uid' ? t('org.form.uid') : t('org.form.vatNumber'), {
              hint: taxKind === 'uid' ? t('org.form.uidHint') : t('org.form.vatHint'),
            })}
        </div>
        <div className="firm-logo">
          {s.logo && <img src={s.logo} alt="" className="firm-logo-preview" />}
          <label className="btn btn-secondary btn-sm">
            {s.logo ? t('org.form.logoReplace') : t('org.form.logoUpload')}
            <input type="file" accept={logo.accept} hidden onChange={logo.onChange} data-testid="firm-logo" />
          </label>
          {s.logo && (
            <Button size="sm" variant="ghost" onClick={() => set('logo', null)}>
              {t('org.form.logoRemove')}
            </Button>
          )}
          {logoError && <span className="field-error">{logoError}</span>}
        </div>
      </Card>
      <Card title={t('firm.address')}>
        <div className="form-grid-2">
          {text('street', t('firm.street'))}
          {text('buildingNumber', t('firm.buildingNumber'))}
          {text('postalCode', t('firm.postalCode'))}
          {text('city', t('firm.city'))}
          {text('email', t('firm.email'))}
        </div>
      </Card>
      <Card title={t('firm.payment')}>
        <div className="form-grid-2">
          {text('iban', 'IBAN', { placeholder: 'CH93 0076 2011 6238 5295 7', hint: t('firm.ibanHint') })}
          {swiss(s.country) &&
            text('qrIban', t('org.form.einvoice.qrIban'), {
              placeholder: 'CH44 3199 9123 0008 8901 2',
              hint: t('firm.qrIbanHint'),
            })}
          {text('bic', t('org.form.einvoice.bic'))}
          {text('paymentTermDays', t('firm.paymentTerm'), { hint: t('firm.paymentTermHint') })}
        </div>
      </Card>
      <Card title={t('firm.documents')}>
        <div className="form-grid-2">
          <SelectField
            label={t('firm.documentLocale')}
            value={s.documentLocale}
            onChange={(e) => set('documentLocale', e.target.value as DocumentLocale)}
            options={[
              { value: 'en', label: 'English' },
              { value: 'fr', label: 'Français' },
              { value: 'de', label: 'Deutsch' },
              // A Ticino firm writes its documents in Italian (the PDFs and QR-bill speak it).
              { value: 'it', label: 'Italiano' },
            ]}
            hint={t('firm.documentLocaleHint')}
            testId="firm-documentLocale"
          />
        </div>
        <TextArea
          label={t('firm.footer')}
          value={s.invoiceFooter}
          maxLength={300}
          rows={2}
          onChange={(e) => set('invoiceFooter', e.target.value)}
          hint={t('firm.footerHint')}
          testId="firm-invoiceFooter"
        />
      </Card>
      {serverError && !(serverError instanceof ApiCallError && fieldOf(serverError.code)) && (
        <Alert tone="error" testId="firm-error">
          {serverError.message}
        </Alert>
      )}
      <div className="firm-actions">
        <Button type="submit" variant="primary" loading={save.isPending} data-testid="firm-save">
          {firstRun ? t('firm.create') : t('firm.save')}
        </Button>
      </div>
    </form>
  );
}
