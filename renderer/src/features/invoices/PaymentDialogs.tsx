import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, type Currency } from '#common/enums';
import { minorToDecimal, parseAmount } from '#common/money';
import type { MethodOutput } from '../../api/client';
import { useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { DateField } from '../../ui/DateField';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { type InvoiceDetail, type InvoiceDialogProps, RECEIVED_METHODS, today } from './invoice-ui';

type ReceivedMethod = (typeof RECEIVED_METHODS)[number];
type Recorded = MethodOutput<'payments.record'>;

/** Money received by card, transfer, PayPal or standing order. */
export function RecordPaymentDialog({
  invoice,
  open,
  onClose,
}: InvoiceDialogProps) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('payments.recordTitle')}
      description={t('payments.recordFor', { number: invoice.number ?? '' })}
      testId="payment-dialog"
    >
      <RecordPaymentForm invoice={invoice} onClose={onClose} />
    </FormDialog>
  );
}

function RecordPaymentForm({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [amount, setAmount] = useState(
    invoice.dueMinor > 0 ? minorToDecimal(invoice.dueMinor, invoice.currency) : '',
  );
  const [currency, setCurrency] = useState<Currency>(invoice.currency);
  const [method, setMethod] = useState<ReceivedMethod>('bank_transfer');
  const [receivedOn, setReceivedOn] = useState(today());
  const [reference, setReference] = useState(invoice.paymentReference ?? '');
  const [submitted, setSubmitted] = useState(false);
  const [outcome, setOutcome] = useState<Recorded | null>(null);
  const record = useApiMutation('payments.record', { onSuccess: (value) => setOutcome(value) });
  const amountMinor = parseAmount(amount, currency);
  const amountError = !amount.trim()
    ? t('payments.amountRequired')
    : amountMinor === null || amountMinor <= 0
      ? t('payments.amountInvalid')
      : null;
  const dateError = /^\d{4}-\d{2}-\d{2}$/.test(receivedOn) ? null : t('payments.dateRequired');

  if (outcome) {
    const p = outcome.payment;
    return (
      <>
        <div className="dialog-body">
          {p.outcome === 'applied' ? (
            <Alert tone="success" title={t('payments.applied')} testId="payment-outcome">
              <span data-outcome="applied">
                {t('payments.appliedBody', {
                  amount: fmt.money(p.amountMinor, p.currency),
                  due: fmt.money(outcome.invoice.dueMinor, outcome.invoice.currency),
                })}
              </span>
            </Alert>
          ) : (
            <Alert tone="warning" title={t('payments.deposited')} testId="payment-outcome">
              <span data-outcome="deposited">
                {t('payments.depositedBody', {
                  amount: fmt.money(p.amountMinor, p.currency),
                  reason: t(`payments.reasons.${(p.depositReason ?? 'unknown') as 'unknown'}`),
                })}
              </span>
            </Alert>
          )}
        </div>
        <div className="dialog-footer">
          <Button variant="primary" onClick={onClose} data-testid="payment-done" autoFocus>
            {t('common.close')}
          </Button>
        </div>
      </>
    );
  }

  return (
    <DialogForm
      onSubmit={() => {
        setSubmitted(true);
        if (amountError || dateError || amountMinor === null) return;
        record.mutate({
          invoiceId: invoice.id,
          amountMinor,
          currency,
          method,
          receivedOn,
          reference: reference.trim() || null,
        });
      }}
      onCancel={onClose}
      error={record.error?.message}
      errorTestId="payment-error"
      submit={{ label: t('payments.record'), loading: record.isPending, testId: 'payment-submit' }}
    >
      <div className="form-grid-2">
        <TextField
          label={t('payments.amount')}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          suffix={currency}
          className="input-num"
          error={submitted || (amount.trim() && amountMinor === null) ? amountError : null}
          hint={t('payments.dueHint', { due: fmt.money(invoice.dueMinor, invoice.currency) })}
          autoFocus
          testId="payment-amount"
        />
        <SelectField
          label={t('payments.currency')}
          value={currency}
          onChange={(e) => setCurrency(e.target.value as Currency)}
          options={CURRENCIES.map((c) => ({ value: c, label: c }))}
          testId="payment-currency"
        />
        <SelectField
          label={t('payments.method')}
          value={method}
          onChange={(e) => setMethod(e.target.value as ReceivedMethod)}
          options={RECEIVED_METHODS.map((m) => ({ value: m, label: t(`paymentMethods.${m}`) }))}
          testId="payment-method"
        />
        <DateField
          label={t('payments.receivedOn')}
          value={receivedOn}
          onChange={setReceivedOn}
          error={submitted ? dateError : null}
          testId="payment-date"
        />
        <TextField
          label={t('payments.reference')}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          maxLength={60}
          optional={t('common.optional')}
          hint={t('payments.referenceHint')}
          spellCheck={false}
          fieldClassName="span-2"
          className="mono"
          testId="payment-reference"
        />
      </div>
      <p className="field-hint">{t('payments.mismatchHint')}</p>
    </DialogForm>
  );
}

/** Pays the invoice, fully or partly, from the organization's prepaid balance. */
export function PayFromPrepaidDialog({
  invoice,
  open,
  onClose,
}: InvoiceDialogProps) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('payments.prepaidTitle')}
      description={t('payments.recordFor', { number: invoice.number ?? '' })}
      size="sm"
      testId="invoice-pay-dialog"
    >
      <PayFromPrepaidForm invoice={invoice} onClose={onClose} />
    </FormDialog>
  );
}

function PayFromPrepaidForm({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const balances = useApi('ledger.balances', { organizationId: invoice.organizationId });
  const balance = balances.data?.find((b) => b.currency === invoice.currency)?.balanceMinor;
  const [amount, setAmount] = useState(minorToDecimal(invoice.dueMinor, invoice.currency));
  const [submitted, setSubmitted] = useState(false);
  const amountMinor = parseAmount(amount, invoice.currency);
  const pay = useApiMutation('ledger.payInvoices', {
    onSuccess: ([paid]) => {
      toast.success(
        t('payments.prepaidDone', {
          amount: fmt.money(amountMinor ?? 0, invoice.currency),
          number: paid?.number ?? invoice.number ?? '',
        }),
      );
      onClose();
    },
  });
  const amountError = !amount.trim()
    ? t('payments.amountRequired')
    : amountMinor === null || amountMinor <= 0
      ? t('payments.amountInvalid')
      : null;
  return (
    <DialogForm
      onSubmit={() => {
        setSubmitted(true);
        if (amountError || amountMinor === null) return;
        pay.mutate({
          organizationId: invoice.organizationId,
          items: [{ invoiceId: invoice.id, amountMinor }],
        });
      }}
      onCancel={onClose}
      error={pay.error?.message}
      errorTestId="invoice-pay-error"
      submit={{ label: t('payments.payNow'), loading: pay.isPending, testId: 'invoice-pay-submit' }}
    >
      <dl className="details inv-pay-facts">
        <div className="details-row">
          <dt>{t('invoiceView.due')}</dt>
          <dd>{fmt.money(invoice.dueMinor, invoice.currency)}</dd>
        </div>
        <div className="details-row">
          <dt>{t('payments.balance')}</dt>
          <dd data-testid="invoice-pay-balance">
            {balance === undefined ? '…' : fmt.money(balance, invoice.currency)}
          </dd>
        </div>
      </dl>
      <TextField
        label={t('payments.amount')}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        inputMode="decimal"
        suffix={invoice.currency}
        className="input-num"
        error={submitted || (amount.trim() && amountMinor === null) ? amountError : null}
        hint={t('payments.partialHint')}
        autoFocus
        testId="invoice-pay-amount"
      />
    </DialogForm>
  );
}
