import { type ReactElement, type ReactNode, useEffect, useRef } from 'react';
import { DialogTrigger, Popover as AriaPopover, Dialog, Pressable } from 'react-aria-components';
import { FocusFirstField } from './focus-first';

export type PopoverSide = 'bottom' | 'top';

/**
 * A panel anchored to its trigger (React Aria: positioned and flipped to stay on screen, focus
 * moved to its first field and kept inside, Escape or a click outside closes it and focus returns to the
 * trigger). The trigger is a native element; React Aria gives it aria-expanded and the press
 * handling, so it needs no onClick of its own.
 */
export function Popover({
  open,
  onOpenChange,
  trigger,
  children,
  align = 'start',
  side = 'bottom',
  className,
  width,
  label,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: ReactElement<Record<string, unknown>, string>;
  children: ReactNode;
  align?: 'start' | 'end';
  side?: PopoverSide;
  className?: string;
  width?: number;
  /** The panel's accessible name (a dialog needs one); defaults to the trigger's. */
  label?: string;
}) {
  const root = useRef<HTMLElement | null>(null);
  // React Aria hears Escape inside the panel. When the focused control inside turns disabled
  // (a choice being saved), the focus falls to the page body and Escape would go unheard.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && document.activeElement === document.body) onOpenChange(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, onOpenChange]);
  return (
    <div className={['popover-anchor', className ?? ''].filter(Boolean).join(' ')}>
      <DialogTrigger isOpen={open} onOpenChange={onOpenChange}>
        <Pressable>{trigger}</Pressable>
        <AriaPopover placement={`${side} ${align}`} offset={6} className="popover" style={width ? { width } : undefined}>
          <Dialog ref={root} className="popover-dialog" aria-label={label}>
            {children}
            <FocusFirstField root={root} />
          </Dialog>
        </AriaPopover>
      </DialogTrigger>
    </div>
  );
}
