import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A dropdown panel anchored under its trigger. Closes on Escape (focus returns to the
 * trigger) and on a click or focus outside.
 */
export function Popover({
  open,
  onClose,
  trigger,
  children,
  align = 'start',
  className,
  width,
}: {
  open: boolean;
  onClose: () => void;
  trigger: ReactNode;
  children: ReactNode;
  align?: 'start' | 'end';
  className?: string;
  width?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      if (ref.current && !ref.current.contains(event.target as Node)) onClose();
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onClose();
        ref.current?.querySelector<HTMLElement>('[data-popover-trigger], button')?.focus();
      }
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('focusin', outside);
    ref.current?.addEventListener('keydown', onEscape);
    const node = ref.current;
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('focusin', outside);
      node?.removeEventListener('keydown', onEscape);
    };
  }, [open, onClose]);
  return (
    <div className={['popover-anchor', className ?? ''].filter(Boolean).join(' ')} ref={ref}>
      {trigger}
      {open && (
        <div className={`popover popover-${align}`} style={width ? { width } : undefined}>
          {children}
        </div>
      )}
    </div>
  );
}
