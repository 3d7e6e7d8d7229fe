import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { save } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { Switch } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { LevelBadge, LevelTotals } from './ReminderTables';

/** The reminders recorded, filtered like the preview, each with its PDF. */
export function SentReminders({ organizationId, level }: { organizationId?: string; level?: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [openOnly, setOpenOnly] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useApi(
    'reminders.list',
    { openOnly, ...(organizationId ? { organizationId } : {}), ...(level ? { level } : {}) },
    { keepPrevious: true },
  );
  const send = useApiMutation('reminders.send', {
    onSuccess: (m) =>
      m.status === 'sent'
        ? toast.success(t('dunning.sentTo', { to: m.recipients.join(', ') }))
        : toast.success(t('dunning.queued')),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const download = async (reminderId: string) => {
    setBusy(reminderId);
    try {
      await save('reminders.pdf', { reminderId });
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const rows = list.data?.reminders ?? [];
  return (
    <Card
      title={t('dunning.sentTitle')}
      actions={
        <Switch
          label={t('dunning.openOnly')}
          checked={openOnly}
          onChange={(e) => setOpenOnly(e.target.checked)}
          testId="dunning-open-only"
        />
      }
    >
      <QueryState
        query={list}
        isEmpty={() => rows.length === 0}
        empty={
          <p className="muted" data-testid="dunning-none-sent">
            {t('dunning.noneSent')}
          </p>
        }
      >
        {() => (
          <>
            <LevelTotals totals={list.data?.totals ?? []} testId="dunning-sent-totals" />
            <div className="table-card">
              <table className="table" data-testid="dunning-sent">
                <thead>
                  <tr>
                    <th scope="col">{t('dunning.level')}</th>
                    <th scope="col">{t('dunning.invoice')}</th>
                    <th scope="col">{t('dunning.payer')}</th>
                    <th scope="col">{t('dunning.remindedOn')}</th>
                    <th scope="col">{t('dunning.payBy')}</th>
                    <th scope="col" className="num">
                      {t('dunning.toPay')}
                    </th>
                    <th scope="col" className="num">
                      {t('dunning.stillDue')}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t('dunning.pdf')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="dunning-sent-row" data-level={r.level}>
                      <td>
                        <LevelBadge level={r.level} final={r.final} />
                      </td>
                      <td>
                        <a href={href({ name: 'invoice', orgId: r.organizationId, invoiceId: r.invoiceId })}>
                          {r.invoiceNumber}
                        </a>
                      </td>
                      <td>{r.payerName}</td>
                      <td>{fmt.date(r.remindedOn)}</td>
                      <td>{fmt.date(r.payBy)}</td>
                      <td className="num">{fmt.money(r.totalMinor, r.currency)}</td>
                      <td className="num" data-testid="dunning-still-due">
                        {/* What the customer owes now: the invoice, and its reminder fees until paid. */}
                        {r.stillDueMinor + r.feesOpenMinor > 0 ? (
                          <>
                            {fmt.money(r.stillDueMinor + r.feesOpenMinor, r.currency)}
                            {r.feesOpenMinor > 0 && (
                              <div className="muted">
                                {t('dunning.feesOpen', { amount: fmt.money(r.feesOpenMinor, r.currency) })}
                              </div>
                            )}
                          </>
                        ) : (
                          <Badge tone="green">{t('dunning.paidSince')}</Badge>
                        )}
                      </td>
                      <td className="billing-run-actions">
                        <Button
                          size="sm"
                          loading={busy === r.id}
                          onClick={() => void download(r.id)}
                          data-testid="dunning-pdf"
                        >
                          {t('dunning.pdf')}
                        </Button>
                        <Button
                          size="sm"
                          loading={send.isPending && send.variables?.reminderId === r.id}
                          onClick={() => send.mutate({ reminderId: r.id })}
                          data-testid="dunning-send"
                        >
                          {t('dunning.send')}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryState>
    </Card>
  );
}
