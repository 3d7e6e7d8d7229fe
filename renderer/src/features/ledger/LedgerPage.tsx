import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { call } from '../../api/client';
import { useApi } from '../../api/queries';
import { useMay } from '../../app/acting';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PagedTable } from '../../ui/DataTable';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { MiddleEllipsis } from '../../ui/MiddleEllipsis';
import { LoadingBlock, Spinner } from '../../ui/Spinner';
import { IconWallet } from '../invoices/icons';
import { MoneyMoveDialog } from './MoneyMoveDialog';
import { PayInvoicesDialog } from './PayInvoicesDialog';
import '../invoices/invoices.css';
import './ledger.css';

const PAGE = 50;
const REASONS = new Set([
  'already_settled',
  'currency_mismatch',
  'more_than_due',
  'not_issued',
  'credit_note_refund',
  'reminder_fee',
  // The hub's own deposits (server/HUB.md): read as words, never as the note's code.
  'overpaid_at_sync',
  'fee_overpaid_at_sync',
]);

/** The prepaid account: an append-only ledger whose balance never goes below zero. */
export function LedgerPage({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const org = useApi('organizations.get', { id: orgId });
  const balances = useApi('ledger.balances', { organizationId: orgId });
  const [chosen, setChosen] = useState<Currency | null>(null);
  const [dialog, setDialog] = useState<'top_up' | 'withdraw' | 'pay' | null>(null);
  // Top-ups and withdrawals are the firm's (common/authority): hidden from anyone else.
  const may = useMay(orgId);
  const books = (kind: string) => may('ledger_entries', 'insert', { values: { kind } });
  const currency: Currency | undefined = chosen ?? org.data?.currency;

  const input = { organizationId: orgId, limit: PAGE, ...(currency ? { currency } : {}) };
  const list = useInfiniteQuery({
    queryKey: ['ledger.list', input, 'pages'],
    queryFn: ({ pageParam }) => call('ledger.list', { ...input, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    enabled: currency !== undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.rows) ?? [], [list.data]);

  return (
    <div className="page">
      <PageHeader
        title={t('ledger.title')}
        subtitle={org.data ? t('ledger.subtitle', { name: org.data.name }) : '\u00a0'}
        actions={
          <>
            {books('withdrawal') && (
              <Button onClick={() => setDialog('withdraw')} data-testid="ledger-withdraw">
                {t('ledger.withdraw')}
              </Button>
            )}
            <Button onClick={() => setDialog('pay')} data-testid="ledger-pay-invoices">
              {t('ledger.payInvoices')}
            </Button>
            {books('top_up') && (
              <Button variant="primary" onClick={() => setDialog('top_up')} data-testid="ledger-topup">
                {t('ledger.topUp')}
              </Button>
            )}
          </>
        }
      />
      <div className="page-body">
        {balances.isError && <Alert tone="error">{balances.error.message}</Alert>}
        <div className="ledger-balances" role="group" aria-label={t('ledger.balances')}>
          {(balances.data ?? []).map((b) => {
            const active = b.currency === currency;
            return (
              <button
                type="button"
                key={b.currency}
                className={`ledger-balance${active ? ' ledger-balance-active' : ''}`}
                aria-pressed={active}
                onClick={() => setChosen(b.currency)}
                data-testid="ledger-balance"
                data-currency={b.currency}
                data-balance-minor={b.balanceMinor}
              >
                <span className="ledger-balance-label">
                  {t('ledger.balanceIn', { currency: b.currency })}
                </span>
                <span className="ledger-balance-value">{fmt.money(b.balanceMinor, b.currency)}</span>
              </button>
            );
          })}
          {balances.isLoading && <Spinner />}
        </div>
        <p className="field-hint">{t('ledger.rule')}</p>

        {list.isLoading || currency === undefined ? (
          <LoadingBlock label={t('common.loading')} />
        ) : list.isError ? (
          <Alert tone="error">{list.error.message}</Alert>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<IconWallet size={22} />}
            title={t('ledger.emptyTitle')}
            body={t('ledger.emptyBody')}
            testId="ledger-empty"
          />
        ) : (
          <PagedTable
            list={list}
            endLabel={t('ledger.end', { count: rows.length })}
            moreTestId="ledger-load-more"
            testId="ledger-entries"
            caption={t('ledger.entriesIn', { currency })}
            columns={[
              { label: t('ledger.columns.date') },
              { label: t('ledger.columns.kind') },
              { label: t('ledger.columns.detail') },
              { label: t('ledger.columns.amount'), num: true },
              { label: t('ledger.columns.balance'), num: true },
            ]}
          >
            {rows.map((row) => (
              <tr
                key={row.id}
                data-testid="ledger-entry"
                data-kind={row.kind}
                data-amount-minor={row.amountMinor}
                data-balance-minor={row.balanceAfterMinor}
              >
                <td className="nowrap muted">{fmt.date(row.bookedOn)}</td>
                <td className="nowrap">
                  <span className={`action-pill ledger-kind-${row.kind}`}>
                    {t(`ledger.kinds.${row.kind}`)}
                  </span>
                </td>
                <td className="ledger-detail-cell">
                  <span className="ledger-detail">
                    {row.invoiceNumber && row.invoiceId && (
                      <a
                        className="mono"
                        href={href({
                          name: 'invoice',
                          orgId: row.organizationId,
                          invoiceId: row.invoiceId,
                        })}
                      >
                        <MiddleEllipsis text={row.invoiceNumber} />
                      </a>
                    )}
                    {row.method && row.method !== 'prepaid' && (
                      <span className="muted">{t(`paymentMethods.${row.method as 'card'}`)}</span>
                    )}
                    {row.note && (
                      <span className="muted">
                        {REASONS.has(row.note)
                          ? t(`payments.reasons.${row.note as 'already_settled'}`)
                          : row.note}
                      </span>
                    )}
                  </span>
                </td>
                <td
                  className={`num nowrap ledger-amount${row.amountMinor < 0 ? ' ledger-debit' : ' ledger-credit'}`}
                >
                  {/* The sign always before the amount, as the credits' "+": a region's own
                      negative pattern (de-CH "CHF-50.00") put it mid-amount beside "+CHF 54.00". */}
                  {row.amountMinor > 0 ? '+' : row.amountMinor < 0 ? '\u2212' : ''}
                  {fmt.money(Math.abs(row.amountMinor), row.currency)}
                </td>
                <td className="num nowrap" data-testid="ledger-entry-balance">
                  {fmt.money(row.balanceAfterMinor, row.currency)}
                </td>
              </tr>
            ))}
          </PagedTable>
        )}
      </div>
      <MoneyMoveDialog
        mode={dialog === 'top_up' || dialog === 'withdraw' ? dialog : null}
        orgId={orgId}
        currency={currency ?? 'CHF'}
        balances={balances.data ?? []}
        onClose={() => setDialog(null)}
      />
      <PayInvoicesDialog
        open={dialog === 'pay'}
        orgId={orgId}
        balances={balances.data ?? []}
        onClose={() => setDialog(null)}
      />
    </div>
  );
}
