import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useApiMutation } from '../../api/queries';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { AccessChoice, PaymentChoice } from './AccessChoice';
import type { Access, Payment } from './partner-ui';

/** A partner invites a client: an organization known here, or its legal representative's e-mail. */
export function InviteClientDialog({
  open,
  partnerOrganizationId,
  onClose,
}: {
  open: boolean;
  partnerOrganizationId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('partners.invite.title')}
      description={t('partners.invite.description')}
      size="md"
      testId="partner-invite-dialog"
    >
      <InviteForm partnerOrganizationId={partnerOrganizationId} onClose={onClose} />
    </FormDialog>
  );
}

function InviteForm({
  partnerOrganizationId,
  onClose,
}: {
  partnerOrganizationId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const orgs = useApi('organizations.list', {});
  const [by, setBy] = useState<'organization' | 'email'>('organization');
  const [clientId, setClientId] = useState('');
  const [email, setEmail] = useState('');
  const [access, setAccess] = useState<Access>('limited');
  const [payment, setPayment] = useState<Payment>('client');
  const invite = useApiMutation('partners.inviteClient', {
    onSuccess: (p) => {
      toast.success(t('partners.invite.sent', { client: p.clientName }));
      onClose();
    },
  });
  const candidates = (orgs.data ?? []).filter((o) => o.id !== partnerOrganizationId);
  const ready = by === 'organization' ? clientId !== '' : email.trim() !== '';

  return (
    <DialogForm
      onSubmit={() => {
        if (!ready) return;
        invite.mutate({
          partnerOrganizationId,
          ...(by === 'organization' ? { clientOrganizationId: clientId } : { clientEmail: email.trim() }),
          access,
          ...(access === 'complete' ? { payment } : {}),
        });
      }}
      onCancel={onClose}
      error={invite.error?.message}
      errorTestId="partner-invite-error"
      submit={{
        label: t('partners.invite.submit'),
        loading: invite.isPending,
        disabled: !ready,
        testId: 'partner-invite-submit',
      }}
    >
      <fieldset className="segmented" data-testid="partner-invite-by">
        <legend className="visually-hidden">{t('partners.invite.by')}</legend>
        {(['organization', 'email'] as const).map((v) => (
          <label key={v} className={`segment${by === v ? ' segment-on' : ''}`}>
            <input
              type="radio"
              name="invite-by"
              checked={by === v}
              onChange={() => {
                setBy(v);
                invite.reset();
              }}
              data-testid={`partner-invite-by-${v}`}
            />
            {t(`partners.invite.by_${v}`)}
          </label>
        ))}
      </fieldset>
      {by === 'organization' ? (
        <SelectField
          label={t('partners.invite.client')}
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          options={[
            { value: '', label: t('partners.invite.chooseClient') },
            ...candidates.map((o) => ({ value: o.id, label: o.name })),
          ]}
          testId="partner-invite-client"
        />
      ) : (
        <TextField
          label={t('partners.invite.email')}
          hint={t('partners.invite.emailHint')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          spellCheck={false}
          testId="partner-invite-email"
        />
      )}
      <AccessChoice value={access} onChange={setAccess} testId="partner-invite-access" />
      {access === 'complete' && (
        <PaymentChoice value={payment} onChange={setPayment} testId="partner-invite-payment" />
      )}
    </DialogForm>
  );
}
