import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CATCH_UP_MODES, type CatchUpMode, PAYMENT_PROFILES, type PaymentProfile } from '#common/enums';
import { errorMessage, useApiMutation } from '../../api/queries';
import { useMay } from '../../app/acting';
import type { Organization } from '../../api/types';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { SelectField, TextField } from '../../ui/Field';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import '../billing/billing.css';

/** Whole days 0–366 (as renewals.setSettings takes them), or null for what cannot be one. */
const daysOf = (text: string): number | null => {
  if (!/^\d{1,3}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= 366 ? n : null;
};

/** An organization's billing settings (issue 12): horizon, missed periods, payment profile, grace. */
export function BillingSettingsCard({ org }: { org: Organization }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [horizon, setHorizon] = useState(String(org.billingHorizonDays));
  const [grace, setGrace] = useState(String(org.renewalGraceDays));
  const [catchUp, setCatchUp] = useState<CatchUpMode>(org.renewalCatchUp);
  const [profile, setProfile] = useState<PaymentProfile>(org.paymentProfile);
  const save = useApiMutation('renewals.setSettings', {
    onSuccess: () => toast.success(t('billing.settings.saved')),
  });
  // Each field is the firm's or the organization's accountants' (common/authority): what the
  // person at the screen may not change is shown, not offered.
  const may = useMay(org.id);
  const can = (column: string) => may('organizations', 'update', { column });
  const h = daysOf(horizon);
  const g = daysOf(grace);
  const invalid = t('billing.settings.invalidDays');
  return (
    <Card title={t('billing.settings.title')}>
      <form
        className="billing-settings"
        data-testid="billing-settings"
        onSubmit={(e) => {
          e.preventDefault();
          if (h === null || g === null) return;
          // Only what changed: each field is judged on its own (an accountant may change the
          // payment profile, not the horizon).
          save.mutate({
            organizationId: org.id,
            ...(h !== org.billingHorizonDays ? { billingHorizonDays: h } : {}),
            ...(g !== org.renewalGraceDays ? { renewalGraceDays: g } : {}),
            ...(catchUp !== org.renewalCatchUp ? { renewalCatchUp: catchUp } : {}),
            ...(profile !== org.paymentProfile ? { paymentProfile: profile } : {}),
          });
        }}
      >
        <TextField
          label={t('billing.settings.horizon')}
          hint={t('billing.settings.horizonHint')}
          inputMode="numeric"
          value={horizon}
          onChange={(e) => setHorizon(e.target.value)}
          error={h === null ? invalid : undefined}
          suffix={t('billing.settings.days')}
          disabled={!can('billing_horizon_days')}
          testId="billing-horizon"
        />
        <SelectField
          label={t('billing.settings.catchUp')}
          value={catchUp}
          onChange={(e) => setCatchUp(e.target.value as CatchUpMode)}
          options={CATCH_UP_MODES.map((m) => ({ value: m, label: t(`billing.settings.catchUpModes.${m}`) }))}
          disabled={!can('renewal_catch_up')}
          testId="billing-catch-up"
        />
        <SelectField
          label={t('billing.settings.profile')}
          value={profile}
          onChange={(e) => setProfile(e.target.value as PaymentProfile)}
          options={PAYMENT_PROFILES.map((p) => ({ value: p, label: t(`billing.settings.profiles.${p}`) }))}
          disabled={!can('payment_profile')}
          testId="billing-profile"
        />
        <TextField
          label={t('billing.settings.grace')}
          hint={t('billing.settings.graceHint')}
          inputMode="numeric"
          value={grace}
          onChange={(e) => setGrace(e.target.value)}
          error={g === null ? invalid : undefined}
          suffix={t('billing.settings.days')}
          disabled={!can('renewal_grace_days')}
          testId="billing-grace"
        />
        {save.error && <Alert tone="error">{errorMessage(save.error)}</Alert>}
        <div>
          <Button
            type="submit"
            variant="primary"
            disabled={h === null || g === null}
            loading={save.isPending}
            data-testid="billing-settings-save"
          >
            {t('billing.settings.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
