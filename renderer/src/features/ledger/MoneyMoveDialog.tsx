import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, type Currency } from '#common/enums';
import { parseAmount } from '#common/money';
import { useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Dialog, DialogForm } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { RECEIVED_METHODS } from '../invoices/invoice-ui';

type Mode = 'top_up' | 'withdraw';
const WITHDRAW_METHODS = ['bank_transfer', 'paypal'] as const;

/** Money into the prepaid account (top-up) or out of it (withdrawal to a bank or PayPal). */
export function MoneyMoveDialog({
  mode,
  orgId,
  currency,
  balances,
  onClose,
}: {
  mode: Mode | null;
  orgId: string;
  currency: Currency;
  balances: { currency: Currency; balanceMinor: number }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={mode !== null}
      onClose={onClose}
      title={mode === 'withdraw' ? t('ledger.withdrawTitle') : t('ledger.topUpTitle')}
      description={mode === 'withdraw' ? t('ledger.withdrawDescription') : t('ledger.topUpDescription')}
      size="sm"
      testId={mode === 'withdraw' ? 'ledger-withdraw-dialog' : 'ledger-topup-dialog'}
      bare
    >
      {mode && (
        <MoneyMoveForm
          key={mode}
          mode={mode}
          orgId={orgId}
          initialCurrency={currency}
          balances={balances}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function MoneyMoveForm({
  mode,
  orgId,
  initialCurrency,
  balances,
  onClose,
}: {
  mode: Mode;
  orgId: string;
  initialCurrency: Currency;
  balances: { currency: Currency; balanceMinor: number }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<Currency>(initialCurrency);
  const [method, setMethod] = useState<string>('bank_transfer');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const prefix = mode === 'withdraw' ? 'ledger-withdraw' : 'ledger-topup';
  const amountMinor = parseAmount(amount, currency);
  const amountError = !amount.trim()
    ? t('payments.amountRequired')
    : amountMinor === null || amountMinor <= 0
      ? t('payments.amountInvalid')
      : null;
  const balance = balances.find((b) => b.currency === currency)?.balanceMinor ?? 0;
  const done = (entry: { amountMinor: number; currency: Currency }) => {
    toast.success(
      t(mode === 'withdraw' ? 'ledger.withdrawn' : 'ledger.toppedUp', {
        amount: fmt.money(Math.abs(entry.amountMinor), entry.currency),
      }),
    );
    onClose();
  };
  const topUp = useApiMutation('ledger.topUp', { onSuccess: done });
  const withdraw = useApiMutation('ledger.withdraw', { onSuccess: done });
  const mutation = mode === 'withdraw' ? withdraw : topUp;
  const methods = mode === 'withdraw' ? WITHDRAW_METHODS : RECEIVED_METHODS;

  return (
    <DialogForm
      onSubmit={() => {
        setSubmitted(true);
        if (amountError || amountMinor === null) return;
        const common = { organizationId: orgId, amountMinor, currency, note: note.trim() || null };
        // Refusals (a withdrawal past zero) come back from the API, in its words.
        if (mode === 'withdraw')
          withdraw.mutate({ ...common, method: method as (typeof WITHDRAW_METHODS)[number] });
        else topUp.mutate({ ...common, method: method as (typeof RECEIVED_METHODS)[number] });
      }}
      onCancel={onClose}
      error={mutation.error?.message}
      errorTestId={`${prefix}-error`}
      submit={{
        label: mode === 'withdraw' ? t('ledger.withdraw') : t('ledger.topUp'),
        loading: mutation.isPending,
        testId: `${prefix}-submit`,
      }}
    >
      <div className="form-grid-2">
        <TextField
          label={t('payments.amount')}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          placeholder="0.00"
          suffix={currency}
          className="input-num"
          error={submitted || (amount.trim() && amountMinor === null) ? amountError : null}
          hint={t('ledger.balanceHint', { balance: fmt.money(balance, currency) })}
          autoFocus
          testId={`${prefix}-amount`}
        />
        <SelectField
          label={t('payments.currency')}
          value={currency}
          onChange={(e) => setCurrency(e.target.value as Currency)}
          options={CURRENCIES.map((c) => ({ value: c, label: c }))}
          testId={`${prefix}-currency`}
        />
        <SelectField
          label={mode === 'withdraw' ? t('ledger.withdrawTo') : t('payments.method')}
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          options={methods.map((m) => ({ value: m, label: t(`paymentMethods.${m}`) }))}
          testId={`${prefix}-method`}
          fieldClassName="span-2"
        />
        <TextField
          label={t('ledger.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          optional={t('common.optional')}
          fieldClassName="span-2"
          testId={`${prefix}-note`}
        />
      </div>
    </DialogForm>
  );
}
