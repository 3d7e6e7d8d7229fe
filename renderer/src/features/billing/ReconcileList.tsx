import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import type { MethodOutput } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { ConfirmDialog } from '../../ui/Dialog';
import { Card } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { useToast } from '../../ui/Toast';
import { AssignDialog } from './AssignDialog';

export type WaitingEntry = MethodOutput<'payments.unmatched'>[number];
/** Why a credit waits (bank/match.ts); the column is free text, so an unknown one shows as written. */
const REASONS = ['no_invoice', 'unsupported_currency'] as const;
const isReason = (r: string): r is (typeof REASONS)[number] => (REASONS as readonly string[]).includes(r);

/** Credits no invoice matched: the accountant assigns each (an invoice, a prepaid account) or dismisses it. */
export function ReconcileList() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const waiting = useApi('payments.unmatched', {});
  const [assigning, setAssigning] = useState<WaitingEntry | null>(null);
  const [dismissing, setDismissing] = useState<WaitingEntry | null>(null);
  const dismiss = useApiMutation('payments.dismissEntry', {
    onSuccess: () => {
      toast.success(t('billing.statements.dismissed'));
      setDismissing(null);
    },
  });
  const money = (minor: number, currency: string) =>
    currency === 'CHF' || currency === 'EUR'
      ? fmt.money(minor, currency as Currency)
      : `${minor / 100} ${currency}`;

  return (
    <Card title={t('billing.statements.reconcileTitle')}>
      <QueryState
        query={waiting}
        isEmpty={(d) => d.length === 0}
        empty={
          <p className="muted" data-testid="reconcile-empty">
            {t('billing.statements.reconcileEmpty')}
          </p>
        }
      >
        {() => (
          <DataTable
            testId="reconcile-list"
            columns={[
              { label: t('billing.statements.valueOn') },
              { label: t('billing.statements.debtor') },
              { label: t('billing.statements.reference') },
              { label: t('billing.statements.amount'), num: true },
              { label: '' },
            ]}
          >
            {(waiting.data ?? []).map((e) => (
              <tr key={e.id} data-testid="reconcile-entry">
                <td>{fmt.date(e.valueOn)}</td>
                <td>{e.debtorName ?? '–'}</td>
                <td className="muted">
                  {e.reference ?? e.remittance ?? ''}
                  <div>{isReason(e.reason) ? t(`billing.statements.reasons.${e.reason}`) : e.reason}</div>
                </td>
                <td className="num">{money(e.amountMinor, e.currency)}</td>
                <td>
                  <div className="billing-row-actions">
                    <Button size="sm" onClick={() => setAssigning(e)} data-testid="reconcile-assign">
                      {t('billing.statements.assign')}
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setDismissing(e)}
                      data-testid="reconcile-dismiss"
                    >
                      {t('billing.statements.dismiss')}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
      <AssignDialog
        entry={assigning}
        amount={assigning ? money(assigning.amountMinor, assigning.currency) : ''}
        onClose={() => setAssigning(null)}
      />
      <ConfirmDialog
        open={dismissing !== null}
        title={t('billing.statements.dismissTitle')}
        body={t('billing.statements.dismissBody')}
        confirmLabel={t('billing.statements.dismiss')}
        busy={dismiss.isPending}
        error={dismiss.error ? errorMessage(dismiss.error) : undefined}
        onConfirm={() => dismissing && dismiss.mutate({ entryId: dismissing.id })}
        onClose={() => setDismissing(null)}
      />
    </Card>
  );
}
