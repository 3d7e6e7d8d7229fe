import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { minorToDecimal, parseAmount } from '#common/money';
import { useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';
import { Dialog, DialogForm } from '../../ui/Dialog';
import { useToast } from '../../ui/Toast';
import type { InvoiceRow } from '../invoices/invoice-ui';

const LIMIT = 200;

/** Pays one or several open invoices from the prepaid balance, each fully or partly. */
export function PayInvoicesDialog({
  open,
  orgId,
  balances,
  onClose,
}: {
  open: boolean;
  orgId: string;
  balances: { currency: Currency; balanceMinor: number }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('ledger.payTitle')}
      description={t('ledger.payDescription')}
      size="lg"
      testId="ledger-pay-dialog"
      bare
    >
      {open && <PayInvoicesForm orgId={orgId} balances={balances} onClose={onClose} />}
    </Dialog>
  );
}

interface Choice {
  on: boolean;
  amount: string;
}

function PayInvoicesForm({
  orgId,
  balances,
  onClose,
}: {
  orgId: string;
  balances: { currency: Currency; balanceMinor: number }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  // Oldest first: the invoices waiting longest are the ones to settle first.
  const open = useApi('invoices.list', {
    organizationId: orgId,
    statuses: ['unpaid', 'partially_paid'],
    kinds: ['invoice'],
    direction: 'asc',
    limit: LIMIT,
  });
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [submitted, setSubmitted] = useState(false);
  const rows = open.data?.rows ?? [];
  // Net of credit notes, as on the invoice's page: the API refuses more than that.
  const due = (row: InvoiceRow) => row.dueMinor;
  const choiceOf = (row: InvoiceRow): Choice =>
    choices[row.id] ?? { on: false, amount: minorToDecimal(due(row), row.currency) };
  const setChoice = (row: InvoiceRow, patch: Partial<Choice>) =>
    setChoices((all) => ({ ...all, [row.id]: { ...choiceOf(row), ...patch } }));

  const picked = useMemo(
    () =>
      rows
        .filter((row) => (choices[row.id] ?? { on: false }).on)
        .map((row) => {
          const amount = parseAmount(choices[row.id]?.amount ?? '', row.currency);
          return { row, amountMinor: amount, valid: amount !== null && amount > 0 };
        }),
    [rows, choices],
  );
  const invalid = picked.some((p) => !p.valid);
  const sums = new Map<Currency, number>();
  for (const p of picked)
    if (p.valid) sums.set(p.row.currency, (sums.get(p.row.currency) ?? 0) + (p.amountMinor ?? 0));

  const pay = useApiMutation('ledger.payInvoices', {
    onSuccess: (paid) => {
      toast.success(t('ledger.paid', { count: paid.length }));
      onClose();
    },
  });

  return (
    <DialogForm
      onSubmit={() => {
        setSubmitted(true);
        if (picked.length === 0 || invalid) return;
        pay.mutate({
          organizationId: orgId,
          items: picked.map((p) => ({ invoiceId: p.row.id, amountMinor: p.amountMinor ?? undefined })),
        });
      }}
      onCancel={onClose}
      error={pay.error?.message}
      errorTestId="ledger-pay-error"
      submit={{
        label: t('ledger.payCount', { count: picked.length }),
        loading: pay.isPending,
        testId: 'ledger-pay-submit',
      }}
    >
      <QueryState
        query={open}
        isEmpty={() => rows.length === 0}
        empty={
          <p className="muted" data-testid="ledger-pay-none">
            {t('ledger.payNone')}
          </p>
        }
      >
        {() => (
          <div className="table-card ledger-pay-table">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      className="checkbox"
                      checked={rows.every((r) => choiceOf(r).on)}
                      onChange={(e) => {
                        const on = e.target.checked;
                        setChoices(Object.fromEntries(rows.map((r) => [r.id, { ...choiceOf(r), on }])));
                      }}
                      aria-label={t('ledger.payAll')}
                    />
                  </th>
                  <th scope="col">{t('invoices.columns.number')}</th>
                  <th scope="col">{t('invoices.columns.due')}</th>
                  <th scope="col" className="num">
                    {t('ledger.stillDue')}
                  </th>
                  <th scope="col" className="num">
                    {t('ledger.payAmount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const choice = choiceOf(row);
                  const amount = parseAmount(choice.amount, row.currency);
                  const bad = choice.on && (amount === null || amount <= 0);
                  return (
                    <tr key={row.id} data-testid="ledger-pay-row" data-invoice-number={row.number ?? ''}>
                      <td>
                        <input
                          type="checkbox"
                          className="checkbox"
                          checked={choice.on}
                          onChange={(e) => setChoice(row, { on: e.target.checked })}
                          aria-label={t('ledger.payThis', { number: row.number ?? '' })}
                          data-testid="ledger-pay-check"
                        />
                      </td>
                      <td className="mono">{row.number}</td>
                      <td className={`nowrap${row.overdue ? ' pt-overdue' : ''}`}>{fmt.date(row.dueOn)}</td>
                      <td className="num nowrap">{fmt.money(due(row), row.currency)}</td>
                      <td className="num">
                        <div className="input-group ledger-pay-amount">
                          <input
                            className="input input-sm input-num"
                            value={choice.amount}
                            onChange={(e) => setChoice(row, { amount: e.target.value, on: true })}
                            inputMode="decimal"
                            aria-invalid={bad && submitted ? true : undefined}
                            aria-label={t('ledger.payAmountOf', { number: row.number ?? '' })}
                            data-testid="ledger-pay-amount"
                          />
                          <span className="input-affix">{row.currency}</span>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      {open.data?.nextCursor && <p className="field-hint">{t('ledger.payOldest', { count: LIMIT })}</p>}
      <dl className="inv-sum inv-sum-wide" data-testid="ledger-pay-summary">
        {[...sums.entries()].map(([currency, sum]) => {
          const balance = balances.find((b) => b.currency === currency)?.balanceMinor ?? 0;
          return (
            <div key={currency} className={sum > balance ? 'ledger-over' : undefined}>
              <dt>{t('ledger.paySum', { balance: fmt.money(balance, currency) })}</dt>
              <dd>{fmt.money(sum, currency)}</dd>
            </div>
          );
        })}
      </dl>
      {submitted && picked.length === 0 && <p className="field-error">{t('ledger.payPick')}</p>}
      {submitted && invalid && <p className="field-error">{t('payments.amountInvalid')}</p>}
    </DialogForm>
  );
}
