import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiKey, useApi } from '../../api/queries';
import { href } from '../../app/router';
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
export function InvoicePage({ orgId, invoiceId }: { orgId: string; invoiceId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const query = useApi('invoices.get', { id: invoiceId });
  const opened = useRef<{ mode: 'editor' | 'view'; draft: InvoiceDetail } | null>(null);
  const [issued, setIssued] = useState(false);

  if (query.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (query.isError || !query.data) {
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
  const invoice = query.data;
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
          onIssued={(detail) => {
            // The issued document shows at once, before the refetch the change brings.
            client.setQueryData(apiKey('invoices.get', { id: invoiceId }), detail);
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

function BackLink({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  return (
    <a className="inv-back" href={href({ name: 'invoices', orgId })} data-testid="invoice-back">
      <IconArrowLeft size={14} />
      <span>{t('invoiceView.back')}</span>
    </a>
  );
}
