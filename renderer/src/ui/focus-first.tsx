import { type RefObject, useEffect } from 'react';

const FIELD =
  'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled), [role="listbox"], [role="menu"]';

/**
 * Puts the focus in the dialog's first field when it opens, unless a field asked for it
 * (autoFocus). `[data-autofocus]` names the element to take it instead (the safe answer of an
 * alert dialog). Rendered after the content so its effect runs after the fields mounted and
 * before React Aria's own, which would focus the dialog itself. A dialog opened over another
 * is briefly inert while the one below lets go, so the focus is retried for a few frames.
 */
export function FocusFirstField({ root }: { root: RefObject<HTMLElement | null> }) {
  useEffect(() => {
    let frame = 0;
    let tries = 0;
    const place = () => {
      const dialog = root.current;
      if (!dialog) return;
      const active = document.activeElement;
      if (active && active !== dialog && dialog.contains(active)) return;
      const target = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? firstField(dialog);
      // React Aria fills a list a render after the list itself: wait for its entries.
      const emptyList = target?.matches('[role="listbox"], [role="menu"]');
      if (target && !(emptyList && tries < 10)) target.focus();
      if (target && document.activeElement !== target && tries++ < 10) frame = requestAnimationFrame(place);
    };
    place();
    return () => cancelAnimationFrame(frame);
  }, [root]);
  return null;
}

/**
 * Focuses `element` once the dialog above it has let go: the page under a modal is inert
 * until the modal's clean-up ran, so this retries for a few frames.
 */
export function focusSoon(element: HTMLElement | null, tries = 10): void {
  if (!element) return;
  requestAnimationFrame(() => {
    if (!element.isConnected) return;
    element.focus();
    if (document.activeElement !== element && tries > 0) focusSoon(element, tries - 1);
  });
}

function firstField(dialog: HTMLElement): HTMLElement | undefined {
  const fields = Array.from(dialog.querySelectorAll<HTMLElement>(FIELD)).filter(
    (el) => !el.closest('.dialog-header') && el.getClientRects().length > 0,
  );
  const first = fields[0];
  // A list takes the focus on its chosen entry, else its first (arrow keys go on from there).
  if (first && (first.getAttribute('role') === 'listbox' || first.getAttribute('role') === 'menu')) {
    return (
      first.querySelector<HTMLElement>('[aria-selected="true"], [aria-checked="true"]') ??
      first.querySelector<HTMLElement>('[role="option"], [role^="menuitem"]') ??
      first
    );
  }
  // In a radio group the chosen radio is the one that takes the focus.
  if (first instanceof HTMLInputElement && first.type === 'radio' && first.name) {
    return fields.find((el) => el instanceof HTMLInputElement && el.name === first.name && el.checked) ?? first;
  }
  return first;
}
