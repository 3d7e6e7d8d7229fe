import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BILLING_FREQUENCIES, type Currency, PRODUCT_KINDS, PRODUCT_STATUSES } from '#common/enums';
import { parseAmount } from '#common/money';
import { ApiCallError, call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi } from '../../api/queries';
import type { FrequencyWarning, ProductRow, TagWithCount } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { DateField } from '../../ui/DateField';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog, FormDialog } from '../../ui/Dialog';
import { CodeSelectField, SelectField, Switch, TextField } from '../../ui/Field';
import { IconTrash } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import { formStateOf, type ProductFormState } from './product-form-state';
import { RebillingWarning } from './RebillingWarning';
import { ProductTagToggles } from './ProductTagToggles';

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
    <FormDialog
      open={open}
      onClose={onClose}
      title={product ? t('products.form.editTitle') : t('products.form.createTitle')}
      description={product ? product.name : undefined}
      size="lg"
      testId="product-form"
    >
      <ProductFormBody
        key={product?.id ?? 'new'}
        orgId={orgId}
        currency={currency}
        product={product}
        tags={tags}
        onClose={onClose}
      />
    </FormDialog>
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
  const [state, setState] = useState<ProductFormState>(() => formStateOf(product));
  const [submitted, setSubmitted] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [serverWarning, setServerWarning] = useState<FrequencyWarning | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const set = <K extends keyof ProductFormState>(key: K, value: ProductFormState[K]) =>
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
            <CodeSelectField
              label={t('products.form.kind')}
              codes={PRODUCT_KINDS}
              labelOf={(k) => t(`productKinds.${k}`)}
              value={state.kind}
              onChange={(k) => set('kind', k)}
              testId="product-form-kind"
            />
            <CodeSelectField
              label={t('products.form.status')}
              codes={PRODUCT_STATUSES}
              labelOf={(s) => t(`statuses.${s}`)}
              value={state.status}
              onChange={(s) => set('status', s)}
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
            <CodeSelectField
              label={t('products.form.frequency')}
              codes={BILLING_FREQUENCIES}
              labelOf={(f) => t(`frequencies.${f}`)}
              value={state.frequency}
              onChange={(f) => {
                set('frequency', f);
                setConfirmed(false);
              }}
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
            <RebillingWarning
              warning={warning}
              confirmed={confirmed}
              onConfirm={setConfirmed}
              error={submitted ? errors.confirm : null}
            />
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
