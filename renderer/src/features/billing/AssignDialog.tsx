import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { useDebounced } from '../../lib/use-debounced';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextField } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import type { WaitingEntry } from './ReconcileList';

/** Reconciling one waiting credit: it pays an invoice (by the same rules), or goes to a prepaid account. */
export function AssignDialog({
  entry,
  amount,
  onClose,
}: {
  entry: WaitingEntry | null;
  amount: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={entry !== null}
      onClose={onClose}
      title={t('billing.statements.assignTitle', { amount, debtor: entry?.debtorName ?? '–' })}
      testId="assign-dialog"
      bare
      dirty={false}
    >
      {entry && <AssignForm entry={entry} onClose={onClose} />}
    </Dialog>
  );
}

function AssignForm({ entry, onClose }: { entry: WaitingEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const [target, setTarget] = useState<'invoice' | 'prepaid'>('invoice');
  const [search, setSearch] = useState(entry.debtorName ?? '');
  const [invoiceId, setInvoiceId] = useState<string | null>(null);
  const [orgId, setOrgId] = useState('');
  const query = useDebounced(search.trim(), 250);
  const invoices = useApi(
    'invoices.list',
    { search: query || undefined, statuses: ['unpaid', 'partially_paid'], kinds: ['invoice'], limit: 8 },
    { enabled: target === 'invoice', keepPrevious: true },
  );
  const orgs = useApi('organizations.list', {}, { enabled: target === 'prepaid' });
  const assign = useApiMutation('payments.assignEntry', {
    onSuccess: () => {
      toast.success(t('billing.statements.assigned'));
      onClose();
    },
  });
  const ready = target === 'invoice' ? invoiceId !== null : orgId !== '';
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        assign.mutate(
          target === 'invoice' && invoiceId
            ? { entryId: entry.id, invoiceId }
            : { entryId: entry.id, organizationId: orgId },
        );
      }}
    >
      <div className="dialog-body">
        <fieldset className="billing-choices">
          <legend className="field-label">{t('billing.statements.assignTo')}</legend>
          {(['invoice', 'prepaid'] as const).map((v) => (
            <label key={v}>
              <input
                type="radio"
                name="assign-target"
                checked={target === v}
                onChange={() => setTarget(v)}
                data-testid={`assign-to-${v}`}
              />{' '}
              {t(v === 'invoice' ? 'billing.statements.toInvoice' : 'billing.statements.toPrepaid')}
            </label>
          ))}
        </fieldset>
        {target === 'invoice' ? (
          <>
            <TextField
              label={t('billing.statements.invoiceNumber')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              testId="assign-search"
            />
            {invoices.data && invoices.data.rows.length === 0 ? (
              <p className="muted">{t('billing.statements.invoiceNotFound')}</p>
            ) : (
              <ul className="billing-choices">
                {(invoices.data?.rows ?? []).map((r) => (
                  <li key={r.id}>
                    <label>
                      <input
                        type="radio"
                        name="assign-invoice"
                        checked={invoiceId === r.id}
                        onChange={() => setInvoiceId(r.id)}
                        data-testid="assign-invoice"
                      />{' '}
                      {r.number} · {r.organizationName} · {fmt.money(r.dueMinor, r.currency)}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <SelectField
            label={t('billing.statements.toPrepaid')}
            value={orgId}
            onChange={(e) => setOrgId(e.target.value)}
            options={[
              { value: '', label: '–' },
              ...(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
            ]}
            testId="assign-org"
          />
        )}
        {assign.error && <Alert tone="error">{errorMessage(assign.error)}</Alert>}
      </div>
      <div className="dialog-footer">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          type="submit"
          variant="primary"
          disabled={!ready}
          loading={assign.isPending}
          data-testid="assign-ok"
        >
          {t('billing.statements.assign')}
        </Button>
      </div>
    </form>
  );
}
