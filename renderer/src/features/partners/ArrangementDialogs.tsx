import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useApiMutation } from '../../api/queries';
import { Dialog, DialogForm, FormDialog } from '../../ui/Dialog';
import { SelectField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import { type Arrangement, ArrangementForm } from './ArrangementForm';
import type { Partnership } from './partner-ui';

function grant(a: Arrangement) {
  return a.access === 'complete'
    ? { access: a.access, payment: a.payment }
    : { access: a.access, productIds: a.productIds };
}

const initial = (p?: Partnership): Arrangement => ({
  access: p?.access ?? 'limited',
  payment: p?.payment ?? p?.requestedPayment ?? 'client',
  productIds: p?.productIds ?? [],
});

/** The client adds a partner (an organization known here) with the access it grants. */
export function AddPartnerDialog({
  open,
  clientOrganizationId,
  onClose,
}: {
  open: boolean;
  clientOrganizationId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('partners.add.title')}
      description={t('partners.add.description')}
      size="md"
      testId="partner-add-dialog"
    >
      <AddPartnerForm clientOrganizationId={clientOrganizationId} onClose={onClose} />
    </FormDialog>
  );
}

function AddPartnerForm({
  clientOrganizationId,
  onClose,
}: {
  clientOrganizationId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const orgs = useApi('organizations.list', {});
  const [partnerId, setPartnerId] = useState('');
  const [arrangement, setArrangement] = useState<Arrangement>(initial());
  const add = useApiMutation('partners.addPartner', {
    onSuccess: (p) => {
      toast.success(t('partners.add.sent', { partner: p.partnerName }));
      onClose();
    },
  });
  const ready = partnerId !== '' && (arrangement.access === 'complete' || arrangement.productIds.length > 0);
  return (
    <DialogForm
      onSubmit={() => {
        if (ready)
          add.mutate({ clientOrganizationId, partnerOrganizationId: partnerId, ...grant(arrangement) });
      }}
      onCancel={onClose}
      error={add.error?.message}
      errorTestId="partner-add-error"
      submit={{
        label: t('partners.add.submit'),
        loading: add.isPending,
        disabled: !ready,
        testId: 'partner-add-submit',
      }}
    >
      <SelectField
        label={t('partners.add.partner')}
        value={partnerId}
        onChange={(e) => setPartnerId(e.target.value)}
        options={[
          { value: '', label: t('partners.add.choosePartner') },
          ...(orgs.data ?? [])
            .filter((o) => o.id !== clientOrganizationId)
            .map((o) => ({ value: o.id, label: o.name })),
        ]}
        testId="partner-add-partner"
      />
      <ArrangementForm
        clientOrganizationId={clientOrganizationId}
        value={arrangement}
        onChange={setArrangement}
        testId="partner-add"
      />
    </DialogForm>
  );
}

/**
 * The client answers a partner's invitation (granting what it chooses, seeds: "may grant
 * different access rights"), or changes an active partnership's arrangement.
 */
export function ArrangementDialog({
  mode,
  partnership,
  onClose,
}: {
  mode: 'accept' | 'change' | null;
  partnership: Partnership | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const open = mode !== null && partnership !== null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={mode === 'accept' ? t('partners.accept.title') : t('partners.change.title')}
      description={
        partnership
          ? mode === 'accept'
            ? t('partners.accept.description', { partner: partnership.partnerName })
            : t('partners.change.description', { partner: partnership.partnerName })
          : undefined
      }
      size="md"
      testId="partner-arrangement-dialog"
      bare
    >
      {open && mode && partnership && (
        <ArrangementBody mode={mode} partnership={partnership} onClose={onClose} />
      )}
    </Dialog>
  );
}

function ArrangementBody({
  mode,
  partnership,
  onClose,
}: {
  mode: 'accept' | 'change';
  partnership: Partnership;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [arrangement, setArrangement] = useState<Arrangement>(initial(partnership));
  const done = () => {
    toast.success(
      mode === 'accept'
        ? t('partners.accept.done', { partner: partnership.partnerName })
        : t('partners.change.done'),
    );
    onClose();
  };
  const accept = useApiMutation('partners.accept', { onSuccess: done });
  const changeAccess = useApiMutation('partners.changeAccess', { onSuccess: done });
  const changePayment = useApiMutation('partners.changePayment', { onSuccess: done });
  const pending = accept.isPending || changeAccess.isPending || changePayment.isPending;
  const error = accept.error ?? changeAccess.error ?? changePayment.error;
  const ready = arrangement.access === 'complete' || arrangement.productIds.length > 0;

  const submit = () => {
    const partnershipId = partnership.id;
    if (mode === 'accept') return accept.mutate({ partnershipId, ...grant(arrangement) });
    // Only the payer changes: an administrator may do that (partners.changePayment); anything
    // else is an access change, for legal representatives.
    if (arrangement.access === 'complete' && partnership.access === 'complete')
      return changePayment.mutate({ partnershipId, payment: arrangement.payment });
    return changeAccess.mutate({ partnershipId, ...grant(arrangement) });
  };

  return (
    <DialogForm
      onSubmit={() => {
        if (ready) submit();
      }}
      onCancel={onClose}
      error={error?.message}
      errorTestId="partner-arrangement-error"
      submit={{
        label: mode === 'accept' ? t('partners.accept.submit') : t('partners.change.submit'),
        loading: pending,
        disabled: !ready,
        testId: 'partner-arrangement-submit',
      }}
    >
      {mode === 'accept' && (
        <p className="field-hint" data-testid="partner-accept-requested">
          {t('partners.accept.requested', {
            access: t(`partners.access.${partnership.requestedAccess}`),
          })}
        </p>
      )}
      <ArrangementForm
        clientOrganizationId={partnership.clientOrganizationId}
        value={arrangement}
        onChange={setArrangement}
        testId="partner-arrangement"
      />
      {mode === 'change' && <p className="field-hint">{t('partners.change.notified')}</p>}
    </DialogForm>
  );
}
