import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  BILLING_FREQUENCIES,
  type BillingFrequency,
  type Currency,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  type ProductKind,
  type ProductStatus,
} from '#common/enums';
import { minorToDecimal, parseAmount } from '#common/money';
import { ApiCallError, call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi } from '../../api/queries';
import type { FrequencyWarning, ProductRow, TagWithCount } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { DateField } from '../../ui/DateField';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog, Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, Switch, TextField } from '../../ui/Field';
import { IconTrash } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import { ProductTagToggles } from './ProductTagToggles';

function inOneYear(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

interface FormState {
  kind: ProductKind;
  name: string;
  price: string;
  frequency: BillingFrequency;
  nextRenewalOn: string;
  autoRenew: boolean;
  status: ProductStatus;
  billingAddressId: string;
  tagIds: string[];
}

export function ProductForm({
  open,
  orgId,
  currency,
  product,
  tags,
  onClose,
}: {
  open: boolean;
  orgId: string;
  currency: Currency;
  product: ProductRow | null;
  tags: TagWithCount[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={product ? t('products.form.editTitle') : t('products.form.createTitle')}
      description={product ? product.name : undefined}
      size="lg"
      testId="product-form"
      bare
    >
      {open && (
        <ProductFormBody
          key={product?.id ?? 'new'}
          orgId={orgId}
          currency={currency}
          product={product}
          tags={tags}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function ProductFormBody({
  orgId,
  currency,
  product,
  tags,
  onClose,
}: {
  orgId: string;
  currency: Currency;
  product: ProductRow | null;
  tags: TagWithCount[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const productCurrency = product?.currency ?? currency;
  const [state, setState] = useState<FormState>(() =>
    product
      ? {
          kind: product.kind,
          name: product.name,
          price: minorToDecimal(product.publicPriceMinor, product.currency),
          frequency: product.billingFrequency,
          nextRenewalOn: product.nextRenewalOn,
          autoRenew: product.autoRenew,
          status: product.status,
          billingAddressId: product.billingAddressId ?? '',
          tagIds: product.tags.map((tag) => tag.id),
        }
      : {
          kind: 'web_hosting',
          name: '',
          price: '',
          frequency: 'annual',
          nextRenewalOn: inOneYear(),
          autoRenew: true,
          status: 'active',
          billingAddressId: '',
          tagIds: [],
        },
  );
  const [submitted, setSubmitted] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [serverWarning, setServerWarning] = useState<FrequencyWarning | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));

  const addresses = useApi('addresses.list', { organizationId: orgId });
  const switchingToMonthly =
    product !== null && state.frequency === 'monthly' && product.billingFrequency !== 'monthly';
  // The seeds: switching to monthly early bills the rest of the term again — ask the service, warn, require consent.
  const check = useApi(
    'products.checkFrequencyChange',
    { id: product?.id ?? '', billingFrequency: 'monthly' },
    { enabled: switchingToMonthly, staleTime: 0 },
  );
  const warning = switchingToMonthly ? (check.data ?? serverWarning) : null;

  const priceMinor = parseAmount(state.price, productCurrency);
  const errors = {
    name: state.name.trim() === '' ? t('products.form.nameRequired') : null,
    price:
      state.price.trim() === ''
        ? t('products.form.priceRequired')
        : priceMinor === null || priceMinor < 0
          ? t('products.form.priceInvalid')
          : null,
    nextRenewalOn: /^\d{4}-\d{2}-\d{2}$/.test(state.nextRenewalOn) ? null : t('products.form.dateInvalid'),
    confirm: warning && !confirmed ? t('products.form.confirmRequired') : null,
  };
  const invalid = Object.values(errors).some(Boolean);

  const addressOptions = useMemo(() => {
    const list = addresses.data ?? [];
    const def = list.find((a) => a.isDefault);
    return [
      {
        value: '',
        label: def
          ? t('products.form.addressDefaultNamed', { label: def.label })
          : t('products.form.addressDefault'),
      },
      ...list.map((a) => ({ value: a.id, label: `${a.label} — ${a.city}` })),
    ];
  }, [addresses.data, t]);

  const submit = async () => {
    setSubmitted(true);
    setError(null);
    if (invalid || priceMinor === null) return;
    setSaving(true);
    try {
      if (product) {
        await call('products.update', {
          id: product.id,
          kind: state.kind,
          name: state.name.trim(),
          publicPriceMinor: priceMinor,
          billingFrequency: state.frequency,
          nextRenewalOn: state.nextRenewalOn,
          autoRenew: state.autoRenew,
          status: state.status,
          billingAddressId: state.billingAddressId || null,
          confirmRebilling: warning !== null && confirmed,
        });
        // Tags are edited through tags.assign / tags.unassign: products.update does not take them.
        const before = new Set(product.tags.map((tag) => tag.id));
        const after = new Set(state.tagIds);
        for (const tagId of after)
          if (!before.has(tagId)) await call('tags.assign', { tagId, productIds: [product.id] });
        for (const tagId of before)
          if (!after.has(tagId)) await call('tags.unassign', { tagId, productIds: [product.id] });
        toast.success(t('products.form.saved', { name: state.name.trim() }));
      } else {
        await call('products.create', {
          organizationId: orgId,
          kind: state.kind,
          name: state.name.trim(),
          publicPriceMinor: priceMinor,
          billingFrequency: state.frequency,
          nextRenewalOn: state.nextRenewalOn,
          autoRenew: state.autoRenew,
          status: state.status,
          billingAddressId: state.billingAddressId || null,
          tagIds: state.tagIds,
        });
        toast.success(t('products.form.created', { name: state.name.trim() }));
      }
      invalidateAfter(client, 'products.update');
      onClose();
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 'frequency_change_rebills') {
        const p = e.params;
        setServerWarning({
          code: 'frequency_change_rebills',
          safeFrom: String(p.safeFrom ?? ''),
          termEndsOn: String(p.termEndsOn ?? ''),
          remainingMonths: Number(p.remainingMonths ?? 0),
        });
      }
      setError(errorMessage(e));
      // A partial save (the product saved, a tag refused) is still a change: refresh the list.
      invalidateAfter(client, 'products.update');
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!product) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await call('products.delete', { id: product.id });
      invalidateAfter(client, 'products.delete');
      toast.success(t('products.form.deleted', { name: product.name }));
      setConfirmDelete(false);
      onClose();
    } catch (e) {
      setDeleteError(errorMessage(e));
    } finally {
      setDeleting(false);
    }
  };

  const toggleTag = (id: string) =>
    set('tagIds', state.tagIds.includes(id) ? state.tagIds.filter((x) => x !== id) : [...state.tagIds, id]);

  return (
    <>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="dialog-body">
          <div className="form-grid-2">
            <TextField
              label={t('products.form.name')}
              value={state.name}
              onChange={(e) => set('name', e.target.value)}
              error={submitted ? errors.name : null}
              maxLength={200}
              testId="product-form-name"
              fieldClassName="span-2"
            />
            <SelectField
              label={t('products.form.kind')}
              value={state.kind}
              onChange={(e) => set('kind', e.target.value as ProductKind)}
              options={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`productKinds.${k}`) }))}
              testId="product-form-kind"
            />
            <SelectField
              label={t('products.form.status')}
              value={state.status}
              onChange={(e) => set('status', e.target.value as ProductStatus)}
              options={PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
              testId="product-form-status"
            />
            <TextField
              label={t('products.form.price')}
              value={state.price}
              onChange={(e) => set('price', e.target.value)}
              error={submitted || (state.price.trim() !== '' && priceMinor === null) ? errors.price : null}
              hint={
                priceMinor !== null && priceMinor >= 0
                  ? fmt.money(priceMinor, productCurrency)
                  : t('products.form.priceHint')
              }
              inputMode="decimal"
              suffix={productCurrency}
              placeholder="0.00"
              testId="product-form-price"
              className="input-num"
            />
            <SelectField
              label={t('products.form.frequency')}
              value={state.frequency}
              onChange={(e) => {
                set('frequency', e.target.value as BillingFrequency);
                setConfirmed(false);
              }}
              options={BILLING_FREQUENCIES.map((f) => ({ value: f, label: t(`frequencies.${f}`) }))}
              testId="product-form-frequency"
            />
            <DateField
              label={t('products.form.nextRenewal')}
              value={state.nextRenewalOn}
              onChange={(v) => set('nextRenewalOn', v)}
              error={submitted ? errors.nextRenewalOn : null}
              testId="product-form-renewal"
            />
            <SelectField
              label={t('products.form.address')}
              value={state.billingAddressId}
              onChange={(e) => set('billingAddressId', e.target.value)}
              options={addressOptions}
              testId="product-form-address"
            />
            <div className="span-2">
              <Switch
                label={t('products.form.autoRenew')}
                checked={state.autoRenew}
                onChange={(e) => set('autoRenew', e.target.checked)}
                testId="product-form-autorenew"
              />
            </div>
          </div>

          {warning && (
            <div className="rebilling" data-testid="product-form-rebilling-warning">
              <Alert tone="warning" title={t('products.form.rebillingTitle')}>
                {t('products.form.rebillingBody', {
                  count: warning.remainingMonths,
                  safeFrom: fmt.date(warning.safeFrom),
                  termEndsOn: fmt.date(warning.termEndsOn),
                })}
              </Alert>
              <Checkbox
                label={t('products.form.rebillingConfirm', { count: warning.remainingMonths })}
                checked={confirmed}
                onChange={(e) => setConfirmed(e.target.checked)}
                testId="product-form-confirm-rebilling"
                aria-invalid={submitted && errors.confirm ? true : undefined}
              />
              {submitted && errors.confirm && <p className="field-error">{errors.confirm}</p>}
            </div>
          )}

          <ProductTagToggles tags={tags} selected={state.tagIds} onToggle={toggleTag} />

          {error && (
            <Alert tone="error" testId="product-form-error">
              {error}
            </Alert>
          )}
        </div>
        <div className="dialog-footer">
          {product && (
            <Button
              variant="ghost"
              className="footer-start danger-text"
              icon={<IconTrash size={14} />}
              onClick={() => setConfirmDelete(true)}
              data-testid="product-form-delete"
            >
              {t('common.delete')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" loading={saving} data-testid="product-form-submit">
            {product ? t('common.save') : t('products.form.submitCreate')}
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirmDelete}
        title={t('products.form.deleteTitle', { name: product?.name ?? '' })}
        body={t('products.form.deleteBody')}
        confirmLabel={t('common.delete')}
        busy={deleting}
        error={deleteError}
        onConfirm={() => void remove()}
        onClose={() => setConfirmDelete(false)}
      />
    </>
  );
}
