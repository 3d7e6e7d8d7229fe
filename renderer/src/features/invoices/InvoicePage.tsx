import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiKey, useApi } from '../../api/queries';
import { ApiCallError, call } from '../../api/client';
import { href, type Route } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { EmptyState, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { IconArrowLeft, IconInvoice } from './icons';
import { InvoiceEditor } from './InvoiceEditor';
import { INVOICE_STATUS_TONES, type InvoiceDetail, statusText } from './invoice-ui';
import { InvoiceView } from './InvoiceView';
import './invoices.css';

/**
 * One invoice: the editor while it is a draft, the read-only document once issued. Which
 * one is decided when the page opens (and after issuing here): a draft issued elsewhere
 * meanwhile keeps its editor, a stale copy whose save the API refuses.
 */
export function InvoicePage({
  orgId,
  invoiceId,
  kind = 'invoice',
}: {
  orgId: string;
  /** null: "New invoice", not stored until its first edit. */
  invoiceId: string | null;
  kind?: 'invoice' | 'pro_forma';
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useApi('invoices.get', { id: invoiceId ?? '' }, { enabled: invoiceId !== null });
  const blank = useBlank(invoiceId === null ? { organizationId: orgId, kind } : null);
  const opened = useRef<{ mode: 'editor' | 'view'; draft: InvoiceDetail } | null>(null);
  const [issued, setIssued] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  // The new draft's stored copy replaces the blank once it loads; until then the blank stands.
  const data = query.data ?? blank.data ?? (opened.current?.draft.id === '' ? opened.current.draft : undefined);

  if (blank.error)
    return (
      <div className="page">
        <div className="page-body">
          <BackLink orgId={orgId} />
          <Alert tone="error" testId="invoice-new-refused">
            {blank.error.message}{' '}
            {blank.error.code === 'issuer_missing' && <a href={href({ name: 'firm' })}>{t('firm.cardSetUp')}</a>}
          </Alert>
        </div>
      </div>
    );
  if (!data && (query.isLoading || invoiceId === null)) return <LoadingBlock label={t('common.loading')} />;
  if (query.isError || !data) {
    return (
      <div className="page">
        <div className="page-body">
          <BackLink orgId={orgId} />
          {query.error?.message ? (
            <Alert tone="error" testId="invoice-not-found">
              {query.error.message}
            </Alert>
          ) : (
            <EmptyState icon={<IconInvoice size={22} />} title={t('invoiceView.notFound')} />
          )}
        </div>
      </div>
    );
  }
  const invoice = data;
  if (opened.current === null) {
    opened.current = { mode: invoice.status === 'draft' ? 'editor' : 'view', draft: invoice };
  }
  const mode = issued ? 'view' : opened.current.mode;

  const header = (actions: ReactNode) => (
    <PageHeader
      leading={<BackLink orgId={invoice.organizationId} />}
      title={
        <span className="inv-title">
          <span data-testid="invoice-number">{invoice.number ?? t(`invoices.draftOf.${invoice.kind}`)}</span>
          <Badge
            tone={invoice.overdue ? 'red' : INVOICE_STATUS_TONES[invoice.status]}
            testId="invoice-status"
          >
            <span data-status={invoice.status}>{statusText(t, invoice)}</span>
          </Badge>
        </span>
      }
      subtitle={[
        t(`invoiceKinds.${invoice.kind}`),
        invoice.organizationName,
        invoice.currency,
        invoice.importRef ? t('invoiceView.importedAs', { ref: invoice.importRef }) : null,
      ]
        .filter(Boolean)
        .join(' · ')}
      actions={actions}
    />
  );

  return (
    <div className="page inv-page" data-testid="invoice-page" data-mode={mode}>
      {mode === 'editor' ? (
        <InvoiceEditor
          invoice={opened.current.draft}
          latest={invoice}
          onCreated={(id) => {
            // The address takes the new draft's id (Back and a reload find it), without a new
            // history entry; the page stays (App keys it by where it started).
            if (!mounted.current) return;
            adoptKey(id, pageKeyOf({ name: 'newInvoice', orgId, kind }));
            history.replaceState(history.state, '', href({ name: 'invoice', orgId, invoiceId: id }));
            window.dispatchEvent(new HashChangeEvent('hashchange'));
          }}
          onIssued={(detail) => {
            // The issued document shows at once, before the refetch the change brings.
            client.setQueryData(apiKey('invoices.get', { id: detail.id }), detail);
            setIssued(true);
          }}
          renderHeader={header}
        />
      ) : (
        <InvoiceView invoice={invoice} renderHeader={header} />
      )}
    </div>
  );
}

/** Page keys of drafts created on this page's first edit: the page is kept when the address takes their id. */
const adopted = new Map<string, string>();
function adoptKey(invoiceId: string, key: string): void {
  adopted.set(invoiceId, key);
}

export function pageKeyOf(route: Route): string {
  if (route.name === 'newInvoice') return `new:${route.orgId}:${route.kind}`;
  if (route.name === 'invoice') return adopted.get(route.invoiceId) ?? route.invoiceId;
  return route.name;
}

/** What a new draft would be (invoices.blank, nothing stored), asked once per page. */
function useBlank(input: { organizationId: string; kind: 'invoice' | 'pro_forma' } | null) {
  const [state, setState] = useState<{ data?: InvoiceDetail; error?: ApiCallError | Error }>({});
  const asked = useRef(false);
  useEffect(() => {
    if (!input || asked.current) return;
    asked.current = true;
    call('invoices.blank', input).then(
      (data) => setState({ data }),
      (error: unknown) => setState({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, [input]);
  return {
    data: state.data,
    error: state.error ? { message: state.error.message, code: state.error instanceof ApiCallError ? state.error.code : '' } : null,
  };
}

function BackLink({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  return (
    <a className="inv-back" href={href({ name: 'invoices', orgId })} data-testid="invoice-back">
      <IconArrowLeft size={14} />
      <span>{t('invoiceView.back')}</span>
    </a>
  );
}
