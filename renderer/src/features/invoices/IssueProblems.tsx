// Why issuing was refused (einvoice_not_ready), one problem a line, each with a link to where it
// is fixed: the firm's form for what the issuer lacks, the customer's page (or its addresses)
// for what the customer lacks; a line's own problem is on the screen already.
import { useTranslation } from 'react-i18next';
import { type EinvoiceProblem, translateProblem } from '#common/i18n/einvoice-problems';
import { resolveLocale } from '#common/i18n/locale';
import type { ApiCallError } from '../../api/client';
import { useApi } from '../../api/queries';
import { href, type Route } from '../../app/router';
import type { InvoiceDetail } from './invoice-ui';

const ISSUER_CODES = new Set(['issuer_address_missing', 'issuer_iban_missing', 'seller_vat_missing']);
const ADDRESS_CODES = new Set(['address_unstructured', 'qr_field_too_long', 'qr_character']);
const LINE_CODES = new Set(['exemption_reason_missing', 'category_rate_mismatch', 'category_not_for_rule']);

export function problemsOf(error: ApiCallError): EinvoiceProblem[] | null {
  if (error.code !== 'einvoice_not_ready' || !Array.isArray(error.params.problems)) return null;
  return error.params.problems as EinvoiceProblem[];
}

/**
 * Where each problem is fixed: the firm's form for what the issuer lacks when the issuer is the
 * firm, else the organization's page (or its addresses). The problem names whose data it is
 * (`party`); problems from before that field are placed by their codes and names.
 */
export function useProblemLink(invoice: InvoiceDetail): (p: EinvoiceProblem) => Route | null {
  const firm = useApi('firm.get', {});
  const payerName = invoice.organizationName;
  return (p) => {
    if (LINE_CODES.has(p.code)) return null;
    const aboutIssuer =
      p.party === 'issuer' ||
      (p.party === undefined &&
        (ISSUER_CODES.has(p.code) || (p.params.name !== undefined && p.params.name !== payerName)));
    const tab = ADDRESS_CODES.has(p.code) ? 'addresses' : 'overview';
    if (aboutIssuer) {
      const issuerId = invoice.issuerOrganizationId;
      return firm.data?.organization?.id === issuerId
        ? { name: 'firm' }
        : { name: 'org', orgId: issuerId, tab };
    }
    return { name: 'org', orgId: invoice.organizationId, tab };
  };
}

export function IssueProblems({
  problems,
  invoice,
}: {
  problems: EinvoiceProblem[];
  invoice: InvoiceDetail;
}) {
  const { t, i18n } = useTranslation();
  const locale = resolveLocale(i18n.language);
  const linkOf = useProblemLink(invoice);
  return (
    <div className="issue-problems" data-testid="issue-problems">
      <p>{t('firm.missingTitle')}</p>
      <ul>
        {problems.map((p) => {
          const to = linkOf(p);
          return (
            <li key={`${p.code}:${JSON.stringify(p.params)}`} data-code={p.code}>
              {translateProblem(p, locale)}
              {to && (
                <>
                  {' '}
                  <a href={href(to)} data-testid="issue-problem-fix">
                    {t('firm.fix')}
                  </a>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
