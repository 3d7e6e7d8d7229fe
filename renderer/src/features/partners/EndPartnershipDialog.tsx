import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../api/queries';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { Checkbox } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import type { Partnership } from './partner-ui';

/**
 * Ending cannot be undone (the partner loses access at once), so the dialog says what happens
 * and asks for an explicit confirmation before partners.end runs with confirm: true.
 */
export function EndPartnershipDialog({
  open,
  partnership,
  side,
  onClose,
}: {
  open: boolean;
  partnership: Partnership;
  side: 'partner' | 'client';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('partners.end.title')}
      size="sm"
      testId="partner-end-dialog"
    >
      <EndForm partnership={partnership} side={side} onClose={onClose} />
    </FormDialog>
  );
}

function EndForm({
  partnership,
  side,
  onClose,
}: {
  partnership: Partnership;
  side: 'partner' | 'client';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const [understood, setUnderstood] = useState(false);
  const end = useApiMutation('partners.end', {
    onSuccess: () => {
      toast.success(t('partners.end.done'));
      onClose();
    },
  });
  const other = side === 'partner' ? partnership.clientName : partnership.partnerName;
  return (
    <DialogForm
      onSubmit={() => {
        if (understood) end.mutate({ partnershipId: partnership.id, side, confirm: true });
      }}
      onCancel={onClose}
      error={end.error?.message}
      errorTestId="partner-end-error"
      submit={{
        label: t('partners.end.submit'),
        variant: 'danger',
        loading: end.isPending,
        disabled: !understood,
        testId: 'partner-end-submit',
      }}
    >
      <p>{t(side === 'partner' ? 'partners.end.bodyPartner' : 'partners.end.bodyClient', { name: other })}</p>
      <ul className="partner-end-list">
        <li>{t('partners.end.loseAccess')}</li>
        <li>{t('partners.end.productsStay')}</li>
        <li>{t('partners.end.final')}</li>
      </ul>
      <Checkbox
        label={t('partners.end.confirm', { name: other })}
        checked={understood}
        onChange={(e) => setUnderstood(e.target.checked)}
        testId="partner-end-confirm"
      />
    </DialogForm>
  );
}
