import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { save } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { Switch } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { QueryState } from '../../ui/QueryState';
import { useToast } from '../../ui/Toast';
import { LevelTotals, ReminderLeadCells } from './ReminderTables';

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
            <DataTable
              testId="dunning-sent"
              columns={[
                { label: t('dunning.level') },
                { label: t('dunning.invoice') },
                { label: t('dunning.payer') },
                { label: t('dunning.remindedOn') },
                { label: t('dunning.payBy') },
                { label: t('dunning.toPay'), num: true },
                { label: t('dunning.stillDue'), num: true },
                { label: t('dunning.pdf'), hiddenLabel: true },
              ]}
            >
              {rows.map((r) => (
                <tr key={r.id} data-testid="dunning-sent-row" data-level={r.level}>
                  <ReminderLeadCells reminder={r} />
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
            </DataTable>
          </>
        )}
      </QueryState>
    </Card>
  );
}
