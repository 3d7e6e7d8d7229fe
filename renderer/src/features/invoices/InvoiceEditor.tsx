import { useQueryClient } from '@tanstack/react-query';
import { useMay } from '../../app/acting';
import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../../api/client';
import { errorMessage, invalidateAfter } from '../../api/queries';
import { navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { IconPlus } from '../../ui/icons';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { type DraftDocument, DraftDocumentFields } from './DraftDocumentFields';
import { DraftTotals } from './DraftTotals';
import { EditorActions } from './EditorActions';
import type { InvoiceDetail } from './invoice-ui';
import { InvoiceLineRow } from './InvoiceLineRow';
import { blocksIssue, IssueCheck, useIssueCheck } from './IssueCheck';
import { IssueProblems, problemsOf } from './IssueProblems';
import { useDraftKeeping, useLeaveGuard } from './useDraftKeeping';
import { emptyLine, type LineDraft, lineFromInvoice, parseLine, totalsOf } from './line-state';

/** The refusals that mean "this is no longer a draft": shown as the edit refusal. */
const REFUSED = new Set(['invoice_not_draft', 'invoice_issued_immutable']);

interface FormState extends DraftDocument {
  lines: LineDraft[];
}

function stateOf(invoice: InvoiceDetail): FormState {
  return {
    lines: invoice.lines.map((l) => lineFromInvoice(l, invoice.currency)),
    billingAddressId: invoice.billingAddressId ?? '',
    locale: invoice.locale,
    notes: invoice.notes ?? '',
  };
}

/**
 * A draft invoice or pro forma, edited in place. Totals are computed live with the same pure
 * module the API prices with, so what is shown is what will be saved. The form is a copy:
 * if the draft is issued elsewhere meanwhile, the copy stays on screen and saving it is
 * refused by the API, which says why.
 */
export function InvoiceEditor({
  invoice,
  latest,
  onIssued,
  onCreated,
  renderHeader,
}: {
  /** The draft as it was when the editor opened (or last saved). */
  invoice: InvoiceDetail;
  /** The invoice as the API has it now (refreshed by change events). */
  latest: InvoiceDetail;
  onIssued: (issued: InvoiceDetail) => void;
  /** A new invoice (empty id) was stored at its first edit, under this id. */
  onCreated?: (id: string) => void;
  /** The page header, given the editor's actions. */
  renderHeader: (actions: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  // The issuer's documents: deleting or issuing the draft is offered only to who may (common/authority).
  const may = useMay(invoice.issuerOrganizationId || null);
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [state, setState] = useState<FormState>(() => stateOf(invoice));
  const [saved, setSaved] = useState<string>(() => JSON.stringify(stateOf(invoice), stripKeys));
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [confirmIssue, setConfirmIssue] = useState(false);
  const [issueError, setIssueError] = useState<ReactNode>(null);
  const [issuing, setIssuing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const linesRef = useRef<HTMLDivElement>(null);
  const check = useIssueCheck(latest);
  /** Puts the person on line `n`'s e-invoice fields (a fix the check links to). */
  const goToLine = (n: number) => {
    setConfirmIssue(false);
    const row = linesRef.current?.querySelectorAll<HTMLElement>('[data-line-row]')[n - 1];
    row?.scrollIntoView({ block: 'center' });
    (
      row?.querySelector<HTMLElement>('[data-testid="invoice-line-reason"]') ??
      row?.querySelector<HTMLElement>('[data-testid="invoice-line-category"]')
    )?.focus();
  };

  const currency = invoice.currency;
  const allowed = invoice.allowedVatRatesBp;
  const defaultRate = allowed[0] ?? 0;
  const results = useMemo(() => state.lines.map((l) => parseLine(l, currency)), [state.lines, currency]);
  const totals = useMemo(() => totalsOf(results.map((r) => r.parsed)), [results]);
  const invalid = results.some((r) => r.parsed === null);
  const formJson = JSON.stringify(state, stripKeys);
  const dirty = formJson !== saved;
  const stale = latest.status !== 'draft';
  const body = () => ({
    lines: results.map((r) => r.parsed?.input).filter((l) => l !== undefined),
    billingAddressId: state.billingAddressId || null,
    locale: state.locale,
    notes: state.notes.trim() ? state.notes.trim() : null,
  });
  const keeping = useDraftKeeping({
    invoice,
    formJson,
    savedJson: saved,
    canSave: !stale && !refusal,
    invalid,
    body,
    // An autosave keeps what is on screen as typed: the saved copy is what was sent.
    onSaved: (sent) => setSaved(sent),
    onCreated,
  });
  const [leaveTo, setLeaveTo] = useState<string | null>(null);
  const askLeave = useCallback((target: string) => setLeaveTo(target), []);
  useLeaveGuard(keeping.unsavedWork, askLeave);

  const setLine = (key: string, patch: Partial<LineDraft>) =>
    setState((s) => ({ ...s, lines: s.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)) }));
  const addLine = () => {
    setState((s) => ({ ...s, lines: [...s.lines, emptyLine(defaultRate)] }));
    // Focus the new line's description once it exists.
    requestAnimationFrame(() =>
      linesRef.current
        ?.querySelector<HTMLInputElement>(
          '[data-line-row]:last-of-type [data-testid="invoice-line-description"]',
        )
        ?.focus(),
    );
  };
  const removeLine = (key: string) =>
    setState((s) => ({ ...s, lines: s.lines.filter((l) => l.key !== key) }));

  /** Saves the form; true when the API took it. */
  const save = async (): Promise<boolean> => {
    setSubmitted(true);
    setError(null);
    setRefusal(null);
    if (invalid) {
      setError(t('invoiceEditor.fixLines'));
      return false;
    }
    setSaving(true);
    try {
      const updated = await keeping.write(body());
      // The API's copy becomes the form's (normalized text, the prices it computed).
      const next = stateOf(updated);
      setState(next);
      setSaved(JSON.stringify(next, stripKeys));
      setSubmitted(false);
      return true;
    } catch (e) {
      if (e instanceof ApiCallError && REFUSED.has(e.code)) setRefusal(e.message);
      else setError(errorMessage(e));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const issue = async () => {
    setIssueError(null);
    // What the dry run found is refused at issue anyway: said here, before any number is used.
    if (blocksIssue(check.state) && !dirty) {
      setIssueError(t('einvoice.check.blocked'));
      return;
    }
    setIssuing(true);
    try {
      if ((dirty || invalid) && !(await save())) {
        setConfirmIssue(false);
        return;
      }
      const id = keeping.draftId.current;
      if (!id) {
        setIssueError(t('invoiceEditor.fixLines'));
        return;
      }
      const issued = await call('invoices.issue', { id });
      invalidateAfter(client, 'invoices.issue');
      setConfirmIssue(false);
      toast.success(t('invoiceEditor.issued', { number: issued.number ?? '' }));
      onIssued(issued);
    } catch (e) {
      const problems = e instanceof ApiCallError ? problemsOf(e) : null;
      if (e instanceof ApiCallError && REFUSED.has(e.code)) {
        setRefusal(e.message);
        setConfirmIssue(false);
      } else if (problems) setIssueError(<IssueProblems problems={problems} invoice={latest} />);
      else setIssueError(errorMessage(e));
    } finally {
      setIssuing(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      const id = keeping.draftId.current;
      const content = body();
      if (id) {
        await call('invoices.deleteDraft', { id });
        invalidateAfter(client, 'invoices.deleteDraft');
      }
      setSaved(formJson);
      // Undo brings the draft back as it was (a new draft with the same content).
      toast.success(t('invoiceEditor.deleted'), {
        label: t('common.undo'),
        run: () =>
          void call('invoices.create', {
            organizationId: invoice.organizationId,
            kind: draftKind,
            ...content,
          })
            .then((back) => {
              invalidateAfter(client, 'invoices.create');
              navigate({ name: 'invoice', orgId: back.organizationId, invoiceId: back.id });
            })
            .catch((e: unknown) => toast.error(errorMessage(e))),
      });
      navigate({ name: 'invoices', orgId: invoice.organizationId });
    } catch (e) {
      setDeleteError(errorMessage(e));
    } finally {
      setDeleting(false);
    }
  };

  const draftKind = invoice.kind === 'pro_forma' ? 'pro_forma' : 'invoice';

  return (
    <>
      {renderHeader(
        <EditorActions
          autosave={keeping.status}
          proForma={invoice.kind === 'pro_forma'}
          stale={stale}
          saving={saving}
          mayDelete={may('invoices', 'tombstone')}
          mayIssue={may('invoices', 'update', { column: 'status' })}
          onDelete={() => {
            setDeleteError(null);
            setConfirmDelete(true);
          }}
          onIssue={() => {
            setIssueError(null);
            setConfirmIssue(true);
          }}
        />,
      )}
      <div className="page-body">
        <form
          id="invoice-editor"
          className="inv-editor"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save().then((ok) => ok && toast.success(t('invoiceEditor.saved')));
          }}
          data-testid="invoice-editor"
        >
          {stale && (
            <Alert
              tone="warning"
              title={t('invoiceEditor.staleTitle', { number: latest.number ?? '' })}
              testId="invoice-stale"
            >
              {t('invoiceEditor.staleBody')}
            </Alert>
          )}
          {refusal && (
            <Alert tone="error" title={t('invoiceEditor.refusedTitle')} testId="invoice-edit-refused">
              {refusal}
            </Alert>
          )}
          {error && (
            <Alert tone="error" testId="invoice-form-error">
              {error}
            </Alert>
          )}
          {!stale && (
            <IssueCheck invoice={latest} state={check.state} recheck={check.recheck} onGoToLine={goToLine} />
          )}
          <Card title={t('invoiceEditor.lines')}>
            <div className="inv-lines" ref={linesRef}>
              {/* Column titles for the eye; every input carries its own label with the line number. */}
              <div className="inv-line inv-line-head" aria-hidden="true">
                <span>{t('invoiceEditor.description')}</span>
                <span>{t('invoiceEditor.quantity')}</span>
                <span>{t('invoiceEditor.unitPrice', { currency })}</span>
                <span>{t('invoiceEditor.discount')}</span>
                <span>{t('invoiceEditor.vatRate')}</span>
                <span className="num">{t('invoiceEditor.amount')}</span>
                <span></span>
              </div>
              {state.lines.length === 0 && (
                <p className="inv-lines-empty muted" data-testid="invoice-lines-empty">
                  {t('invoiceEditor.noLines')}
                </p>
              )}
              {state.lines.map((line, index) => {
                const { errors, parsed } = results[index] ?? { errors: {}, parsed: null };
                return (
                  <InvoiceLineRow
                    key={line.key}
                    line={line}
                    n={index + 1}
                    errors={errors}
                    parsed={parsed}
                    currency={currency}
                    allowedRatesBp={allowed}
                    submitted={submitted}
                    onChange={(patch) => setLine(line.key, patch)}
                    onRemove={() => removeLine(line.key)}
                  />
                );
              })}
            </div>
            <div className="inv-lines-footer">
              <Button
                size="sm"
                icon={<IconPlus size={14} />}
                onClick={addLine}
                data-testid="invoice-line-add"
              >
                {t('invoiceEditor.addLine')}
              </Button>
              <DraftTotals totals={totals} currency={currency} />
            </div>
          </Card>
          <DraftDocumentFields
            organizationId={invoice.organizationId}
            value={state}
            onChange={(patch) => setState((s) => ({ ...s, ...patch }))}
          />
        </form>
      </div>
      <ConfirmDialog
        open={confirmIssue}
        title={
          invoice.kind === 'pro_forma' ? t('invoiceEditor.issueProFormaTitle') : t('invoiceEditor.issueTitle')
        }
        body={
          <>
            <p>{t('invoiceEditor.issueBody')}</p>
            <p className="inv-confirm-total">
              {t('invoiceView.gross')}: <strong>{fmt.money(totals.grossMinor, currency)}</strong>
            </p>
            <IssueCheck invoice={latest} state={check.state} onGoToLine={goToLine} compact />
          </>
        }
        confirmLabel={
          invoice.kind === 'pro_forma' ? t('invoiceEditor.issueProForma') : t('invoiceEditor.issue')
        }
        tone="primary"
        busy={issuing || saving}
        error={issueError}
        onConfirm={() => void issue()}
        onClose={() => setConfirmIssue(false)}
      />
      <ConfirmDialog
        open={leaveTo !== null}
        title={t('invoiceEditor.leaveTitle')}
        body={t('invoiceEditor.leaveBody')}
        confirmLabel={t('invoiceEditor.leave')}
        onConfirm={() => {
          const target = leaveTo;
          setLeaveTo(null);
          // What cannot be saved is let go on purpose: the guard must not ask again.
          setSaved(formJson);
          if (target) window.location.hash = target;
        }}
        onClose={() => setLeaveTo(null)}
      />
      <ConfirmDialog
        open={confirmDelete}
        title={t('invoiceEditor.deleteTitle')}
        body={t('invoiceEditor.deleteBody')}
        confirmLabel={t('common.delete')}
        busy={deleting}
        error={deleteError}
        onConfirm={() => void remove()}
        onClose={() => setConfirmDelete(false)}
      />
    </>
  );
}

/** Line keys are the screen's, not the invoice's: they never make a form "changed". */
function stripKeys(key: string, value: unknown): unknown {
  return key === 'key' ? undefined : value;
}
