// Never lose a draft's work: the draft is created at its first edit (a "New invoice" that is
// left untouched stores nothing), every change is saved shortly after typing stops, leaving
// with changes that cannot be saved yet asks first, and a draft left empty is not kept.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { InvoiceKind } from '#common/enums';
import { call, type MethodInput } from '../../api/client';
import { invalidateAfter } from '../../api/queries';
import type { InvoiceDetail } from './invoice-ui';

/** What the editor writes: a draft's content without its id. */
export type DraftBody = Omit<MethodInput<'invoices.updateDraft'>, 'id'>;
export type AutosaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'invalid' | 'error';

/** How long typing pauses before the draft is saved. */
const AUTOSAVE_MS = 800;

export function useDraftKeeping({
  invoice,
  formJson,
  savedJson,
  canSave,
  invalid,
  body,
  onSaved,
  onCreated,
}: {
  invoice: InvoiceDetail;
  /** The form now, and as last written (JSON without the screen's keys). */
  formJson: string;
  savedJson: string;
  /** False while the draft was issued elsewhere or the API refused it: nothing to save then. */
  canSave: boolean;
  invalid: boolean;
  body: () => DraftBody;
  onSaved: (sentJson: string, updated: InvoiceDetail) => void;
  onCreated?: (id: string) => void;
}) {
  const client = useQueryClient();
  const draftId = useRef<string | null>(invoice.id || null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const [status, setStatus] = useState<AutosaveStatus>('idle');
  const dirty = formJson !== savedJson;

  /**
   * Writes one after the other: the first write creates the draft, and two creates racing
   * would leave two drafts.
   */
  const write = (input: DraftBody): Promise<InvoiceDetail> => {
    const run = queue.current.then(async () => {
      if (draftId.current) {
        const updated = await call('invoices.updateDraft', { id: draftId.current, ...input });
        invalidateAfter(client, 'invoices.updateDraft');
        return updated;
      }
      const kind: Exclude<InvoiceKind, 'credit_note'> = invoice.kind === 'pro_forma' ? 'pro_forma' : 'invoice';
      const created = await call('invoices.create', { organizationId: invoice.organizationId, kind, ...input });
      draftId.current = created.id;
      invalidateAfter(client, 'invoices.create');
      onCreated?.(created.id);
      return created;
    });
    queue.current = run.catch(() => undefined);
    return run;
  };

  // Saved a moment after typing stops.
  useEffect(() => {
    if (!dirty || !canSave) {
      if (!dirty && status === 'pending') setStatus('saved');
      return;
    }
    if (invalid) {
      setStatus('invalid');
      return;
    }
    setStatus('pending');
    const timer = setTimeout(() => {
      const sent = formJson;
      setStatus('saving');
      write(body()).then(
        (updated) => {
          onSaved(sent, updated);
          setStatus('saved');
        },
        () => setStatus('error'),
      );
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [formJson, dirty, canSave, invalid]);

  // What the page holds when it goes away, read by the cleanup below.
  const latest = useRef({ dirty, invalid, canSave, body });
  latest.current = { dirty, invalid, canSave, body };

  // Leaving: a pending change is written at once; a draft left without lines or notes is
  // deleted (an empty draft is no work). Only when the address really left this page: React's
  // development double mount unmounts without leaving.
  useEffect(() => {
    const here = window.location.hash;
    return () => {
      if (window.location.hash === here) return;
      const { dirty: unsaved, invalid: broken, canSave: open, body: read } = latest.current;
      if (!open) return;
      const content = read();
      const empty = (content.lines ?? []).length === 0 && !content.notes;
      if (unsaved && !broken && !empty) void write(content).catch(() => undefined);
      else if (empty && draftId.current) {
        const id = draftId.current;
        void queue.current
          .then(() => call('invoices.deleteDraft', { id }))
          .then(() => invalidateAfter(client, 'invoices.deleteDraft'))
          .catch(() => undefined);
      }
    };
  }, []);

  // Closing the tab or the window with changes not written yet asks first.
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  return { write, status, draftId, unsavedWork: dirty && (invalid || status === 'error') };
}

/**
 * A click on an in-app link while `blocked` is held for the person to answer: `ask(target)`
 * opens the question, and the answer navigates or stays.
 */
export function useLeaveGuard(blocked: boolean, ask: (target: string) => void): void {
  useEffect(() => {
    if (!blocked) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as HTMLElement | null)?.closest?.('a[href^="#"]');
      if (!(link instanceof HTMLAnchorElement)) return;
      if (link.closest('[data-leave-ok]')) return;
      event.preventDefault();
      event.stopPropagation();
      ask(link.getAttribute('href') ?? '#/');
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [blocked, ask]);
}
