import type { CSSProperties, ReactNode } from 'react';
import { IconX } from './icons';

export type BadgeTone = 'neutral' | 'green' | 'amber' | 'red' | 'blue' | 'violet' | 'accent';

export function Badge({
  tone = 'neutral',
  children,
  testId,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

/** A tag as a chip in its own colour: a tinted background keeps the text readable in both themes. */
export function TagChip({
  name,
  color,
  onRemove,
  removeLabel,
  testId,
  size = 'md',
}: {
  name: string;
  color: string;
  onRemove?: () => void;
  removeLabel?: string;
  testId?: string;
  size?: 'sm' | 'md';
}) {
  return (
    <span
      className={`tag-chip${size === 'sm' ? ' tag-chip-sm' : ''}`}
      style={{ '--tag': color } as CSSProperties}
      data-testid={testId}
      data-tag-name={name}
    >
      <span className="tag-dot" aria-hidden="true" />
      <span className="tag-chip-name">{name}</span>
      {onRemove && (
        <button type="button" className="tag-chip-remove" onClick={onRemove} aria-label={removeLabel ?? name}>
          <IconX size={12} />
        </button>
      )}
    </span>
  );
}
