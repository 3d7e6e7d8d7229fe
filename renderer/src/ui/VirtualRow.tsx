import type { CSSProperties } from 'react';
import { ROW_HEIGHT } from './useVirtualRows';

/** Where virtual row `start` sits: below the header row, each row the one fixed height. */
export function rowStyle(start: number): CSSProperties {
  return { transform: `translateY(${start + ROW_HEIGHT}px)`, height: ROW_HEIGHT };
}

/**
 * A row not loaded yet (invoices, products): grey bars in the row's place, one a column, as
 * wide as `cells` says (percent; null leaves the cell empty), so the list keeps its length
 * and its columns while the page loads.
 */
export function SkeletonRow({
  index,
  start,
  cells,
}: {
  index: number;
  start: number;
  cells: readonly { width: number | null; className?: string }[];
}) {
  return (
    <div
      className="pt-row pt-skeleton skeleton-pulse"
      style={rowStyle(start)}
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      tabIndex={-1}
    >
      {cells.map((cell, i) => (
        <div key={i} className={['pt-cell', cell.className ?? ''].filter(Boolean).join(' ')}>
          {cell.width !== null && <span className="skeleton" style={{ width: `${cell.width}%` }} />}
        </div>
      ))}
    </div>
  );
}
