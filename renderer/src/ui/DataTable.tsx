import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from './Layout';

/** One header cell: its label, and whether the column holds numbers (right-aligned). */
export interface Column {
  label: ReactNode;
  num?: boolean;
  /** A page's own class for the header cell (a column's width, say). */
  className?: string;
  /** Said to screen readers only: a column of row buttons needs a name but shows none. */
  hiddenLabel?: boolean;
}

/**
 * The framed table every list and preview draws (card, header row, body): written once so the
 * header's scope, the number alignment and the card's frame cannot drift apart page by page.
 * The rows stay the caller's: what a row shows is the feature's business, not this frame's.
 */
interface DataTableProps {
  columns: Column[];
  testId?: string;
  /** Extra classes on the <table> (beside `table`). */
  className?: string;
  /** Extra classes on the card around it (beside `table-card`). */
  cardClassName?: string;
  /** A name for screen readers, e.g. which currency a ledger is in. */
  caption?: ReactNode;
  children: ReactNode;
}

export function DataTable({ columns, testId, className, cardClassName, caption, children }: DataTableProps) {
  return (
    <div className={cardClassName ? `table-card ${cardClassName}` : 'table-card'}>
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        {caption !== undefined && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => (
              // Columns are fixed per table and never reorder, so the position is their identity.
              <th
                key={i}
                scope="col"
                className={[column.num ? 'num' : '', column.className ?? ''].join(' ').trim() || undefined}
              >
                {column.hiddenLabel ? <span className="visually-hidden">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A DataTable read page by page (activity, ledger): the table, then "Load more" while there is
 * more, else how many rows there are.
 */
export function PagedTable({
  list,
  endLabel,
  moreTestId,
  ...table
}: DataTableProps & {
  list: Parameters<typeof LoadMore>[0]['list'];
  endLabel: ReactNode;
  moreTestId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <DataTable {...table} />
      <LoadMore list={list} label={t('common.loadMore')} endLabel={endLabel} testId={moreTestId} />
    </>
  );
}
