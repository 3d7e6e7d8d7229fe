import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter } from '../../api/queries';
import { navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { FormDialog, DialogForm } from '../../ui/Dialog';
import { TextArea } from '../../ui/Field';
import { useToast } from '../../ui/Toast';
import {
  formatRate,
  formatScaled,
  type InvoiceDetail,
  type InvoiceDialogProps,
  parseScaled,
  scaledToText,
} from './invoice-ui';
import { type ParsedLine, totalsOf } from './line-state';
import { lineAmounts } from '#common/invoice-math';

/**
 * The only way to correct an issued invoice. Full by default (the invoice is then cancelled,
 * or refunded to the prepaid account if it was paid); a partial credit takes some lines or
 * smaller quantities.
 */
export function CreditNoteDialog({
  invoice,
  open,
  onClose,
}: InvoiceDialogProps) {
  const { t } = useTranslation();
  return (
    <FormDialog
      open={open}
      onClose={onClose}
      title={t('creditNote.title', { number: invoice.number ?? '' })}
      description={t('creditNote.description')}
      size="lg"
      testId="credit-note-dialog"
    >
      <CreditNoteForm invoice={invoice} onClose={onClose} />
    </FormDialog>
  );
}

interface Pick {
  on: boolean;
  quantity: string;
}

function CreditNoteForm({ invoice, onClose }: { invoice: InvoiceDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [picks, setPicks] = useState<Pick[]>(() =>
    invoice.lines.map((l) => ({ on: true, quantity: scaledToText(l.quantityMilli, 3) })),
  );
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const parsed = useMemo(
    () =>
      invoice.lines.map((line, i): ParsedLine | 'invalid' | null => {
        const pick = picks[i];
        if (!pick?.on) return null;
        const quantityMilli = parseScaled(pick.quantity, 3);
        if (quantityMilli === null || quantityMilli < 1 || quantityMilli > line.quantityMilli)
          return 'invalid';
        const input = {
          productId: line.productId,
          description: line.description,
          quantityMilli,
          unitPriceMinor: line.unitPriceMinor,
          discountBp: line.discountBp,
          vatRateBp: line.vatRateBp,
        };
        return { input, amounts: lineAmounts(input) };
      }),
    [invoice.lines, picks],
  );
  const invalid = parsed.some((p) => p === 'invalid');
  const chosen = parsed.filter((p): p is ParsedLine => p !== null && p !== 'invalid');
  const full = invoice.lines.every(
    (l, i) => picks[i]?.on && parseScaled(picks[i]?.quantity ?? '', 3) === l.quantityMilli,
  );
  const totals = totalsOf(chosen);

  const submit = async () => {
    if (invalid || chosen.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const note = await call('invoices.creditNote', {
        invoiceId: invoice.id,
        // Full: no lines, the API credits the whole invoice (and cancels or refunds it).
        ...(full ? {} : { lines: chosen.map((c) => c.input) }),
        notes: notes.trim() || null,
      });
      invalidateAfter(client, 'invoices.creditNote');
      toast.success(t('creditNote.created', { number: note.number ?? '' }));
      onClose();
      navigate({ name: 'invoice', orgId: note.organizationId, invoiceId: note.id });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <DialogForm
      onSubmit={() => {
        void submit();
      }}
      onCancel={onClose}
      error={error}
      errorTestId="credit-note-error"
      submit={{
        label: t('creditNote.submit'),
        variant: 'danger',
        loading: busy,
        disabled: invalid || chosen.length === 0,
        testId: 'credit-note-submit',
      }}
    >
      <div className="table-card">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('creditNote.include')}</span>
              </th>
              <th scope="col">{t('invoiceEditor.description')}</th>
              <th scope="col" className="num">
                {t('invoiceEditor.quantity')}
              </th>
              <th scope="col" className="num">
                {t('invoiceView.vat')}
              </th>
              <th scope="col" className="num">
                {t('invoiceEditor.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((line, i) => {
              const pick = picks[i] ?? { on: false, quantity: '' };
              const p = parsed[i];
              const set = (patch: Partial<Pick>) =>
                setPicks((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <tr key={line.id} data-testid="credit-note-line">
                  <td>
                    <input
                      type="checkbox"
                      className="checkbox"
                      checked={pick.on}
                      onChange={(e) => set({ on: e.target.checked })}
                      aria-label={t('creditNote.includeLine', { description: line.description })}
                    />
                  </td>
                  <td>{line.description}</td>
                  <td className="num">
                    <input
                      className="input input-sm input-num inv-cn-qty"
                      value={pick.quantity}
                      disabled={!pick.on}
                      onChange={(e) => set({ quantity: e.target.value })}
                      inputMode="decimal"
                      aria-invalid={p === 'invalid' ? true : undefined}
                      aria-label={t('creditNote.quantityOf', {
                        description: line.description,
                        max: formatScaled(line.quantityMilli, 3, fmt.locale),
                      })}
                      title={t('creditNote.atMost', {
                        max: formatScaled(line.quantityMilli, 3, fmt.locale),
                      })}
                    />
                  </td>
                  <td className="num nowrap">{formatRate(line.vatRateBp, fmt.locale)}</td>
                  <td className="num nowrap">
                    {p && p !== 'invalid' ? fmt.money(p.amounts.netMinor, invoice.currency) : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {invalid && <p className="field-error">{t('creditNote.quantityInvalid')}</p>}
      <dl className="inv-sum inv-sum-wide">
        <div className="inv-sum-total">
          <dt>{full ? t('creditNote.fullTotal') : t('creditNote.partialTotal')}</dt>
          <dd data-testid="credit-note-total">{fmt.money(totals.grossMinor, invoice.currency)}</dd>
        </div>
      </dl>
      <Alert tone="info">
        {full
          ? invoice.paidMinor > 0
            ? t('creditNote.fullPaid', { paid: fmt.money(invoice.paidMinor, invoice.currency) })
            : t('creditNote.fullUnpaid')
          : t('creditNote.partial')}
      </Alert>
      <TextArea
        label={t('invoiceEditor.notes')}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        maxLength={2000}
        optional={t('common.optional')}
        testId="credit-note-notes"
      />
    </DialogForm>
  );
}
