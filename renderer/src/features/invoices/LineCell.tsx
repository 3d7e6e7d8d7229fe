import type { ReactNode } from 'react';

/**
 * A line control with its visible label. Where the column heads stand (a wide card) the label
 * gives way to them; where a line folds onto two rows and the heads are gone (1024 px,
 * invoices.css), it shows above its field. The control's own aria-label (with the line number)
 * contains this text, so what is read out is what is seen (WCAG 2.5.3).
 */
export function LineCell({
  label,
  always,
  children,
}: {
  label: string;
  always?: boolean;
  children: ReactNode;
}) {
  return (
    // A div, not a label: the control is named by its own aria-label (with the line number).
    <div className={always ? 'inv-cell inv-cell-always' : 'inv-cell'}>
      <span className="inv-cell-label" aria-hidden="true">
        {label}
      </span>
      {children}
    </div>
  );
}
