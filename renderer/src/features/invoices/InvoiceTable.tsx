import { useTranslation } from 'react-i18next';
import { href, navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { ROW_HEIGHT, useVirtualRows } from '../../ui/useVirtualRows';
import { Badge } from '../../ui/Badge';
import { MiddleEllipsis } from '../../ui/MiddleEllipsis';
import { rowStyle, SkeletonRow } from '../../ui/VirtualRow';
import { formatAmount, INVOICE_STATUS_TONES, type InvoiceRow, statusText } from './invoice-ui';

/** The placeholder bars of a row not loaded yet, one a column (total and paid right-aligned). */
const SKELETON = [55, 45, 50, 50, 60, 45, 45, 30].map((width, i) => ({
  width,
  className: i === 5 || i === 6 ? 'pt-num' : undefined,
}));

/**
 * The invoice list: only the rows on screen exist in the DOM, so 100 000 invoices scroll like
 * 100. The list has the filtered count's length from the start; pages load ahead, in order.
 */
export function InvoiceTable({
  rows,
  total,
  hasNextPage,
  ensureLoaded,
  resetKey,
}: {
  rows: InvoiceRow[];
  total: number;
  hasNextPage: boolean;
  ensureLoaded: (index: number) => void;
  /** Changes with the filters: the list scrolls back to the top. */
  resetKey: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { scrollRef, virtualizer, items, count } = useVirtualRows({
    loaded: rows.length,
    total,
    hasNextPage,
    ensureLoaded,
    resetKey,
  });

  const head = (label: string, className = '') => (
    <div className={`pt-cell pt-head-cell ${className}`} role="columnheader" tabIndex={-1}>
      <span className="pt-head-label">{label}</span>
    </div>
  );

  return (
    <div
      className="pt-scroll inv-table"
      ref={scrollRef}
      role="table"
      aria-label={t('invoices.tableLabel')}
      aria-rowcount={count + 1}
      data-testid="invoices-table"
    >
      <div className="pt-inner" style={{ height: virtualizer.getTotalSize() + ROW_HEIGHT }}>
        <div className="pt-row pt-head" role="row" aria-rowindex={1} tabIndex={-1}>
          {head(t('invoices.columns.number'))}
          {head(t('invoices.columns.status'))}
          {head(t('invoices.columns.issued'))}
          {head(t('invoices.columns.due'))}
          {head(t('invoices.columns.organization'))}
          {head(t('invoices.columns.total'), 'pt-num')}
          {head(t('invoices.columns.paid'), 'pt-num')}
          {head(t('invoices.columns.currency'))}
        </div>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return <SkeletonRow key={item.key} index={item.index} start={item.start} cells={SKELETON} />;
          const signed = row.kind === 'credit_note' ? -1 : 1;
          return (
            <div
              key={row.id}
              className="pt-row"
              style={rowStyle(item.start)}
              role="row"
              tabIndex={-1}
              aria-rowindex={item.index + 2}
              data-testid="invoice-row"
              data-invoice-number={row.number ?? ''}
              data-invoice-id={row.id}
              data-status={row.status}
              data-overdue={row.overdue ? 'true' : undefined}
              // The whole row opens the invoice (issue 14: only the number did); a click on a
              // link or button inside it keeps doing that control's own thing.
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a, button, input, select')) return;
                navigate({ name: 'invoice', orgId: row.organizationId, invoiceId: row.id });
              }}
              onKeyDown={(event) => {
                if (event.key !== 'Enter' || event.target !== event.currentTarget) return;
                navigate({ name: 'invoice', orgId: row.organizationId, invoiceId: row.id });
              }}
            >
              <div className="pt-cell" role="cell">
                <a
                  className="pt-name inv-number"
                  href={href({ name: 'invoice', orgId: row.organizationId, invoiceId: row.id })}
                  data-testid="invoice-open"
                >
                  {row.number ? (
                    <MiddleEllipsis text={row.number} />
                  ) : (
                    <span className="inv-draft-label">{t(`invoices.draftOf.${row.kind}`)}</span>
                  )}
                </a>
                {row.kind !== 'invoice' && (
                  <span className="pt-flag">{t(`invoices.kindShort.${row.kind}`)}</span>
                )}
              </div>
              <div className="pt-cell" role="cell">
                <Badge
                  tone={row.overdue ? 'red' : INVOICE_STATUS_TONES[row.status]}
                  testId="invoice-row-status"
                >
                  {statusText(t, row)}
                </Badge>
              </div>
              <div className="pt-cell pt-muted" role="cell">
                {fmt.date(row.issuedOn)}
              </div>
              <div className={`pt-cell${row.overdue ? ' pt-overdue' : ' pt-muted'}`} role="cell">
                {row.dueOn ? fmt.date(row.dueOn) : <span className="muted">—</span>}
              </div>
              <div className="pt-cell" role="cell" title={row.organizationName}>
                <span className="inv-ellipsis">{row.organizationName}</span>
              </div>
              <div className="pt-cell pt-num" role="cell">
                <span className="pt-price">
                  {formatAmount(signed * row.grossMinor, row.currency, fmt.locale)}
                </span>
              </div>
              <div className="pt-cell pt-num pt-muted" role="cell">
                {row.kind === 'credit_note' ? (
                  <span className="muted">—</span>
                ) : (
                  <span className="inv-tabular">{formatAmount(row.paidMinor, row.currency, fmt.locale)}</span>
                )}
              </div>
              <div className="pt-cell pt-muted" role="cell">
                {row.currency}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
