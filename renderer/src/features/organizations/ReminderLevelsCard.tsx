import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseAmount } from '#common/money';
import { MAX_REMINDER_DAYS, MAX_REMINDER_FEE_MINOR, MAX_REMINDER_LEVELS } from '#common/reminders.schema';
import { apiKey, errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useMay } from '../../app/acting';
import type { Organization } from '../../api/types';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import '../billing/billing.css';
import './reminder-levels.css';

interface Row {
  days: string;
  fee: string;
}

const toRows = (levels: readonly { daysAfterDue: number; feeMinor: number }[]): Row[] =>
  levels.map((l) => ({ days: String(l.daysAfterDue), fee: (l.feeMinor / 100).toFixed(2) }));

/**
 * An organization's payment reminder levels (issue 12, dunning), in its billing settings: days
 * after due and the fee of each; the last is the final notice. The firm's to change
 * (common/authority: organizations.reminder_levels); others see them, not offered to edit.
 */
export function ReminderLevelsCard({ org }: { org: Organization }) {
  const { t } = useTranslation();
  const toast = useToast();
  const levels = useApi('reminders.levels', { organizationId: org.id });
  // The person's edits since the last save (null: none, the card shows the stored levels, a
  // change arriving by sync included). Saved, they become the stored levels in the cache at
  // once. The card was keyed on the organization's updatedAt instead: a save changes it, so the
  // card was mounted anew when the organization came back — after the save, whatever had been
  // typed in the meantime was lost (seen in the dunning e2e on a loaded machine).
  const [rows, setRows] = useState<Row[] | null>(null);
  const submitted = useRef<Row[] | null>(null);
  const client = useQueryClient();
  const save = useApiMutation('reminders.setLevels', {
    onSuccess: (saved) => {
      client.setQueryData(apiKey('reminders.levels', { organizationId: org.id }), saved);
      // Edits typed while the save was on its way are kept.
      setRows((current) => (current === submitted.current ? null : current));
      toast.success(t('dunning.levels.saved'));
    },
  });
  const may = useMay(org.id);
  const editable = may('organizations', 'update', { column: 'reminder_levels' });
  const shown = rows ?? toRows(levels.data?.levels ?? []);
  const parsed = shown.map((r) => {
    const days = /^\d{1,3}$/.test(r.days.trim()) ? Number(r.days.trim()) : null;
    const fee = parseAmount(r.fee, org.currency);
    return {
      daysAfterDue: days !== null && days >= 1 && days <= MAX_REMINDER_DAYS ? days : null,
      feeMinor: fee !== null && fee >= 0 && fee <= MAX_REMINDER_FEE_MINOR ? fee : null,
    };
  });
  const valid = parsed.length > 0 && parsed.every((p) => p.daysAfterDue !== null && p.feeMinor !== null);
  const edit = (i: number, patch: Partial<Row>) =>
    setRows(shown.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card title={t('dunning.levels.title')}>
      <div className="reminder-levels" data-testid="reminder-levels">
        <p className="muted">{t('dunning.levels.hint')}</p>
        {levels.data && (
          <p className="muted billing-sub">{t(`dunning.levels.source.${levels.data.source}`)}</p>
        )}
        {shown.map((r, i) => (
          // Levels have no identity but their place in the sequence.
          <div className="reminder-level" key={i} data-testid="reminder-level">
            <strong>{t('dunning.levelN', { level: i + 1 })}</strong>
            <TextField
              label={t('dunning.levels.days')}
              inputMode="numeric"
              value={r.days}
              onChange={(e) => edit(i, { days: e.target.value })}
              error={parsed[i]?.daysAfterDue === null ? t('dunning.levels.invalid') : undefined}
              disabled={!editable}
              testId={`reminder-days-${i + 1}`}
            />
            <TextField
              label={t('dunning.levels.fee')}
              inputMode="decimal"
              value={r.fee}
              onChange={(e) => edit(i, { fee: e.target.value })}
              error={parsed[i]?.feeMinor === null ? t('dunning.levels.invalid') : undefined}
              suffix={org.currency}
              disabled={!editable}
              testId={`reminder-fee-${i + 1}`}
            />
            {editable && shown.length > 1 && (
              <Button size="sm" onClick={() => setRows(shown.filter((_, j) => j !== i))}>
                {t('dunning.levels.remove', { level: i + 1 })}
              </Button>
            )}
          </div>
        ))}
        {save.error && <Alert tone="error">{errorMessage(save.error)}</Alert>}
        {editable && (
          <div className="billing-run-actions">
            <Button
              disabled={shown.length >= MAX_REMINDER_LEVELS}
              onClick={() => setRows([...shown, { days: '', fee: '0.00' }])}
              data-testid="reminder-level-add"
            >
              {t('dunning.levels.add')}
            </Button>
            <Button
              variant="primary"
              disabled={!valid}
              loading={save.isPending}
              onClick={() => {
                submitted.current = rows;
                save.mutate({
                  organizationId: org.id,
                  levels: parsed.map((p) => ({
                    daysAfterDue: p.daysAfterDue ?? 0,
                    feeMinor: p.feeMinor ?? 0,
                  })),
                });
              }}
              data-testid="reminder-levels-save"
            >
              {t('dunning.levels.save')}
            </Button>
            {levels.data?.source === 'own' && (
              <Button onClick={() => save.mutate({ organizationId: org.id, levels: null })}>
                {t('dunning.levels.reset')}
              </Button>
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
