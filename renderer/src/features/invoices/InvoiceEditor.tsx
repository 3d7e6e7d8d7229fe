import { useQueryClient } from '@tanstack/react-query';
import { useMay } from '../../app/acting';
import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_LOCALES, type DocumentLocale } from '#common/enums';
import { ApiCallError, call } from '../../api/client';
import { errorMessage, invalidateAfter, useApi } from '../../api/queries';
import { navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button, IconButton } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/Dialog';
import { Select, SelectField, TextArea } from '../../ui/Field';
import { IconCheck, IconPlus, IconTrash } from '../../ui/icons';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { formatRate, type InvoiceDetail } from './invoice-ui';
import { blocksIssue, IssueCheck, useIssueCheck } from './IssueCheck';
import { LineEinvoiceFields } from './LineEinvoiceFields';
import { IssueProblems, problemsOf } from './IssueProblems';
import { type AutosaveStatus, useDraftKeeping, useLeaveGuard } from './useDraftKeeping';
import {
  emptyLine,
  type LineDraft,
  type LineErrors,
  lineFromInvoice,
  parseLine,
  totalsOf,
} from './line-state';

/** The refusals that mean "this is no longer a draft": shown as the edit refusal. */
const REFUSED = new Set(['invoice_not_draft', 'invoice_issued_immutable']);

interface FormState {
  lines: LineDraft[];
  billingAddressId: string;
  locale: DocumentLocale;
  notes: string;
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
  const addresses = useApi('addresses.list', { organizationId: invoice.organizationId });
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

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));
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

  const lineError = (errors: LineErrors, field: keyof LineErrors, typed: string): string | null => {
    const code = errors[field];
    if (!code || (!submitted && (code === 'required' || !typed.trim()))) return null;
    return t(`invoiceEditor.errors.${field}.${code}` as 'invoiceEditor.errors.price.invalid');
  };

  const rateOptions = (current: number) => {
    const rates = allowed.includes(current) ? allowed : [...allowed, current];
    return rates.map((r) => ({
      value: String(r),
      label: allowed.includes(r)
        ? formatRate(r, fmt.locale)
        : t('invoiceEditor.rateNotAllowed', { rate: formatRate(r, fmt.locale) }),
    }));
  };

  const defaultAddress = addresses.data?.find((a) => a.isDefault);
  const addressOptions = [
    {
      value: '',
      label: defaultAddress
        ? t('products.form.addressDefaultNamed', { label: defaultAddress.label })
        : t('products.form.addressDefault'),
    },
    ...(addresses.data ?? []).map((a) => ({ value: a.id, label: `${a.label} — ${a.city}` })),
  ];

  return (
    <>
      {renderHeader(
        <>
          <AutosaveStatusText status={keeping.status} />
          {may('invoices', 'tombstone') && (
            <Button
              variant="ghost"
              icon={<IconTrash size={14} />}
              onClick={() => {
                setDeleteError(null);
                setConfirmDelete(true);
              }}
              disabled={stale}
              data-testid="invoice-delete-draft"
            >
              {t('invoiceEditor.delete')}
            </Button>
          )}
          <Button type="submit" form="invoice-editor" loading={saving} data-testid="invoice-save">
            {t('common.save')}
          </Button>
          {may('invoices', 'update', { column: 'status' }) && (
            <Button
              variant="primary"
              icon={<IconCheck size={14} />}
              onClick={() => {
                setIssueError(null);
                setConfirmIssue(true);
              }}
              data-testid="invoice-issue"
            >
              {invoice.kind === 'pro_forma' ? t('invoiceEditor.issueProForma') : t('invoiceEditor.issue')}
            </Button>
          )}
        </>,
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
                const n = index + 1;
                const messages = [
                  lineError(errors, 'description', line.description),
                  lineError(errors, 'quantity', line.quantity),
                  lineError(errors, 'price', line.price),
                  lineError(errors, 'discount', line.discount),
                  errors.exemptionReason && submitted ? t('einvoice.line.reasonRequired') : null,
                ].filter(Boolean);
                const errorId = `line-${line.key}-errors`;
                return (
                  <div className="inv-line-wrap" key={line.key} data-line-row data-testid="invoice-line">
                    <div className="inv-line">
                      <input
                        className="input"
                        value={line.description}
                        onChange={(e) => setLine(line.key, { description: e.target.value })}
                        aria-label={t('invoiceEditor.lineField', {
                          field: t('invoiceEditor.description'),
                          n,
                        })}
                        aria-invalid={lineError(errors, 'description', line.description) ? true : undefined}
                        aria-describedby={messages.length ? errorId : undefined}
                        maxLength={500}
                        placeholder={t('invoiceEditor.descriptionPlaceholder')}
                        data-testid="invoice-line-description"
                      />
                      <input
                        className="input input-num"
                        value={line.quantity}
                        onChange={(e) => setLine(line.key, { quantity: e.target.value })}
                        inputMode="decimal"
                        aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.quantity'), n })}
                        aria-invalid={lineError(errors, 'quantity', line.quantity) ? true : undefined}
                        aria-describedby={messages.length ? errorId : undefined}
                        data-testid="invoice-line-quantity"
                      />
                      <input
                        className="input input-num"
                        value={line.price}
                        onChange={(e) => setLine(line.key, { price: e.target.value })}
                        inputMode="decimal"
                        placeholder="0.00"
                        aria-label={t('invoiceEditor.lineField', {
                          field: t('invoiceEditor.unitPrice', { currency }),
                          n,
                        })}
                        aria-invalid={lineError(errors, 'price', line.price) ? true : undefined}
                        aria-describedby={messages.length ? errorId : undefined}
                        data-testid="invoice-line-price"
                      />
                      <div className="input-group inv-discount">
                        <input
                          className="input input-num"
                          value={line.discount}
                          onChange={(e) => setLine(line.key, { discount: e.target.value })}
                          inputMode="decimal"
                          placeholder="0"
                          aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.discount'), n })}
                          aria-invalid={lineError(errors, 'discount', line.discount) ? true : undefined}
                          aria-describedby={messages.length ? errorId : undefined}
                          data-testid="invoice-line-discount"
                        />
                        <span className="input-affix">%</span>
                      </div>
                      <Select
                        value={String(line.vatRateBp)}
                        // A new rate lets the API decide the category again (S for a rate, else by the parties).
                        onChange={(e) =>
                          setLine(line.key, { vatRateBp: Number(e.target.value), vatCategory: '' })
                        }
                        options={rateOptions(line.vatRateBp)}
                        aria-label={t('invoiceEditor.lineField', { field: t('invoiceEditor.vatRate'), n })}
                        data-testid="invoice-line-vat"
                      />
                      <span className="inv-line-amount num" data-testid="invoice-line-amount">
                        {parsed ? fmt.money(parsed.amounts.netMinor, currency) : '—'}
                      </span>
                      <IconButton
                        label={t('invoiceEditor.removeLine', { n })}
                        icon={<IconTrash size={14} />}
                        size="sm"
                        tone="danger"
                        onClick={() => removeLine(line.key)}
                        data-testid="invoice-line-remove"
                      />
                    </div>
                    <LineEinvoiceFields
                      line={line}
                      n={n}
                      reasonError={
                        errors.exemptionReason && submitted ? t('einvoice.line.reasonRequired') : null
                      }
                      onChange={(patch) => setLine(line.key, patch)}
                    />
                    {messages.length > 0 && (
                      <p className="field-error inv-line-errors" id={errorId}>
                        {messages.join(' ')}
                      </p>
                    )}
                  </div>
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
              <dl className="inv-sum" data-testid="invoice-editor-totals">
                <div>
                  <dt>{t('invoiceView.net')}</dt>
                  <dd data-testid="invoice-total-net">{fmt.money(totals.netMinor, currency)}</dd>
                </div>
                {totals.vatSummary.map((v) => (
                  <div key={v.vatRateBp}>
                    <dt>
                      {t('invoiceView.vatAt', {
                        rate: formatRate(v.vatRateBp, fmt.locale),
                        base: fmt.money(v.netMinor, currency),
                      })}
                    </dt>
                    <dd>{fmt.money(v.vatMinor, currency)}</dd>
                  </div>
                ))}
                <div className="inv-sum-total">
                  <dt>{t('invoiceView.gross')}</dt>
                  <dd data-testid="invoice-total-gross">{fmt.money(totals.grossMinor, currency)}</dd>
                </div>
              </dl>
            </div>
          </Card>
          <Card title={t('invoiceEditor.document')}>
            <div className="form-grid-2">
              <SelectField
                label={t('invoiceEditor.address')}
                value={state.billingAddressId}
                onChange={(e) => set('billingAddressId', e.target.value)}
                options={addressOptions}
                hint={t('invoiceEditor.addressHint')}
                testId="invoice-address"
              />
              <SelectField
                label={t('invoiceEditor.locale')}
                value={state.locale}
                onChange={(e) => set('locale', e.target.value as DocumentLocale)}
                options={DOCUMENT_LOCALES.map((l) => ({ value: l, label: t(`invoiceEditor.locales.${l}`) }))}
                hint={t('invoiceEditor.localeHint')}
                testId="invoice-locale"
              />
              <TextArea
                label={t('invoiceEditor.notes')}
                value={state.notes}
                onChange={(e) => set('notes', e.target.value)}
                maxLength={2000}
                optional={t('common.optional')}
                testId="invoice-notes"
                fieldClassName="span-2"
              />
            </div>
            <p className="field-hint">{t('invoiceEditor.dateHint')}</p>
          </Card>
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

/** "Saving…", "All changes saved", "Not saved: complete the lines" beside the editor's actions. */
function AutosaveStatusText({ status }: { status: AutosaveStatus }) {
  const { t } = useTranslation();
  if (status === 'idle') return null;
  return (
    <span
      className={`inv-autosave inv-autosave-${status}`}
      role="status"
      data-testid="invoice-autosave"
      data-status={status}
    >
      {t(`invoiceEditor.autosave.${status}`)}
    </span>
  );
}

/** Line keys are the screen's, not the invoice's: they never make a form "changed". */
function stripKeys(key: string, value: unknown): unknown {
  return key === 'key' ? undefined : value;
}
