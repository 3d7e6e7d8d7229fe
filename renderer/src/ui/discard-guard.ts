import { useCallback, useRef } from 'react';

/**
 * What a dialog's form holds now, in document order: every field's value or checked state,
 * every toggle button pressed and every chosen option of a list. Search boxes only filter what is shown, so they hold no work;
 * a field inside `[data-discard-ignore]` is left out the same way.
 */
export function formState(root: HTMLElement): string[] {
  const out: string[] = [];
  const controls = root.querySelectorAll<HTMLElement>(
    'input, select, textarea, [aria-pressed="true"], [role="option"][aria-selected="true"], [role="menuitemcheckbox"][aria-checked="true"]',
  );
  for (const el of controls) {
    if (el.closest('[data-discard-ignore]')) continue;
    if (el instanceof HTMLInputElement) {
      if (['search', 'hidden', 'button', 'submit', 'reset'].includes(el.type)) continue;
      out.push(el.type === 'checkbox' || el.type === 'radio' ? `c:${el.checked}` : `v:${el.value}`);
    } else if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
      out.push(`v:${el.value}`);
    } else {
      out.push(`o:${el.dataset.key ?? el.textContent ?? ''}`);
    }
  }
  return out;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * Tells whether the person changed the form in a dialog. The reference state is taken at the
 * person's first key press or pointer press inside it, not at opening: a form whose values
 * arrive a moment later (an edit form loading its record) starts from those values. Putting a
 * value back as it was counts as unchanged. A dialog with no fields left (a "done" step) has
 * nothing to lose.
 */
export function useDiscardGuard() {
  const node = useRef<HTMLElement | null>(null);
  const baseline = useRef<string[] | null>(null);
  // A callback ref: the dialog's element comes and goes with each opening, and each opening
  // starts without a reference state.
  const ref = useCallback((element: HTMLElement | null) => {
    node.current = element;
    baseline.current = null;
    if (!element) return;
    const remember = () => {
      if (baseline.current === null) baseline.current = formState(element);
    };
    element.addEventListener('keydown', remember, true);
    element.addEventListener('pointerdown', remember, true);
    return () => {
      element.removeEventListener('keydown', remember, true);
      element.removeEventListener('pointerdown', remember, true);
    };
  }, []);
  const changed = useCallback((): boolean => {
    if (!node.current || baseline.current === null) return false;
    const now = formState(node.current);
    return now.length > 0 && !same(baseline.current, now);
  }, []);
  return { ref, changed };
}
