import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type EinvoiceProblem, translateProblem } from '#common/i18n/einvoice-problems';
import { resolveLocale } from '#common/i18n/locale';
import { call, type MethodOutput } from '../../api/client';
import { errorMessage, useApi } from '../../api/queries';
import { href } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Card } from '../../ui/Layout';
import type { InvoiceDetail } from './invoice-ui';
import { useProblemLink } from './IssueProblems';

export type CheckState =
  | { status: 'running' }
  | { status: 'done'; result: MethodOutput<'invoices.checkIssue'> }
  | { status: 'failed'; message: string };

/**
 * The dry run of issuing (`invoices.checkIssue`) for a draft, run again whenever the draft, its
 * payer or its issuer changes: what its e-invoice or QR-bill would be refused for. The check
 * reads the saved draft, so the editor shows it beside the form and says so.
 */
export function useIssueCheck(invoice: InvoiceDetail): { state: CheckState; recheck: () => void } {
  const payer = useApi('organizations.get', { id: invoice.organizationId });
  const issuer = useApi('organizations.get', { id: invoice.issuerOrganizationId });
  const [state, setState] = useState<CheckState>({ status: 'running' });
  const [round, setRound] = useState(0);
  const key = `${invoice.id}|${invoice.updatedAt}|${payer.data?.updatedAt}|${issuer.data?.updatedAt}|${round}`;
  useEffect(() => {
    let live = true;
    setState({ status: 'running' });
    call('invoices.checkIssue', { id: invoice.id }).then(
      (result) => live && setState({ status: 'done', result }),
      (e) => live && setState({ status: 'failed', message: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
    // The key names everything the check reads.
  }, [key]);
  return { state, recheck: () => setRound((r) => r + 1) };
}

/** Does the check stop issuing? (A check that could not run leaves the decision to the API.) */
export function blocksIssue(state: CheckState): boolean {
  return state.status === 'done' && state.result.problems.length > 0;
}

function FixLink({
  problem,
  invoice,
  onGoToLine,
}: {
  problem: EinvoiceProblem;
  invoice: InvoiceDetail;
  onGoToLine: (n: number) => void;
}) {
  const { t } = useTranslation();
  const linkOf = useProblemLink(invoice);
  const line = problem.params.line;
  if (typeof line === 'number')
    return (
      <button type="button" className="link" onClick={() => onGoToLine(line)} data-testid="issue-check-fix">
        {t('einvoice.check.fixLine', { n: line })}
      </button>
    );
  const to = linkOf(problem);
  if (!to) return null;
  const name = String(problem.params.name ?? '');
  return (
    <a href={href(to)} data-testid="issue-check-fix">
      {to.name === 'org' && to.tab === 'addresses'
        ? t('einvoice.check.fixAddresses', { name })
        : t('einvoice.check.fixOrganization', { name })}
    </a>
  );
}

/** What issuing would find, with a way to each fix. `compact`: inside the issue confirmation. */
export function IssueCheck({
  invoice,
  state,
  recheck,
  onGoToLine,
  compact = false,
}: {
  invoice: InvoiceDetail;
  state: CheckState;
  recheck?: () => void;
  onGoToLine: (n: number) => void;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = resolveLocale(i18n.language);
  const body =
    state.status === 'running' ? (
      <p className="muted">{t('einvoice.check.running')}</p>
    ) : state.status === 'failed' ? (
      <Alert tone="warning">{t('einvoice.check.failed', { message: state.message })}</Alert>
    ) : (
      <>
        {state.result.problems.length === 0 ? (
          <Alert tone="success" testId="issue-check-ok">
            {t('einvoice.check.ok')}
          </Alert>
        ) : (
          <Alert tone="error" title={t('einvoice.check.problems')} testId="issue-check-problems">
            <ul className="inv-check-list">
              {state.result.problems.map((p, i) => (
                <li key={`${p.code}-${i}`} data-testid="issue-check-problem" data-code={p.code}>
                  {translateProblem(p, locale)}
                  <FixLink problem={p} invoice={invoice} onGoToLine={onGoToLine} />
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {state.result.transliterations.length > 0 && (
          <Alert
            tone="info"
            title={t('einvoice.check.transliterations')}
            testId="issue-check-transliterations"
          >
            <ul className="inv-check-list">
              {state.result.transliterations.map((tr) => (
                <li key={tr.field}>
                  {tr.field}: “{tr.from}” → “{tr.to}”
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </>
    );
  if (compact) return <div data-testid="issue-check-compact">{body}</div>;
  return (
    <Card
      title={t('einvoice.check.title')}
      actions={
        recheck && (
          <Button size="sm" onClick={recheck} data-testid="issue-check-recheck">
            {t('einvoice.check.recheck')}
          </Button>
        )
      }
    >
      <div data-testid="issue-check">
        {body}
        <p className="field-hint">{t('einvoice.check.savedOnly')}</p>
      </div>
    </Card>
  );
}
