import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Alert } from './Alert';
import { Button, IconButton } from './Button';
import { useDiscardGuard } from './discard-guard';
import { FocusFirstField, focusSoon } from './focus-first';
import { IconX } from './icons';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
  /** When given, the body and footer are one form: Enter submits, the submit button is in the footer. */
  onSubmit?: () => void;
  /** The children bring their own body and footer (a form that owns its submit). */
  bare?: boolean;
  /**
   * Whether closing would lose the person's work. Left out, the dialog sees it for itself: a
   * field changed since the person began is a change. `false` for a form that keeps nothing
   * (an export: closing it loses no work).
   */
  dirty?: boolean;
  role?: 'dialog' | 'alertdialog';
}

/**
 * A modal dialog (React Aria: focus kept inside, the page behind hidden from assistive
 * technology and inert, focus back on the opener when it closes). It opens with the focus in its
 * first field (not on Close). Escape or Close on a changed form asks before discarding; an
 * unchanged one closes at once. Content mounts only while open, so each opening starts fresh.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = 'md',
  testId,
  onSubmit,
  bare = false,
  dirty,
  role = 'dialog',
}: DialogProps) {
  const { t } = useTranslation();
  const descriptionId = useId();
  const guard = useDiscardGuard();
  const root = useRef<HTMLElement | null>(null);
  const guardRef = guard.ref;
  // Stable, or React would detach and attach it at every render and forget the reference state.
  const frameRef = useCallback(
    (element: HTMLElement | null) => {
      root.current = element;
      return guardRef(element);
    },
    [guardRef],
  );
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!open) setAsking(false);
  }, [open]);

  // Where the person was when asked, to go back there on "Keep editing".
  const returnTo = useRef<HTMLElement | null>(null);
  const requestClose = () => {
    if (dirty ?? guard.changed()) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setAsking(true);
    } else onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  const content = (
    <>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </>
  );

  return (
    <ModalOverlay
      isOpen={open}
      onOpenChange={(next) => {
        if (!next) requestClose();
      }}
      className="dialog-overlay"
    >
      <Modal className={`dialog dialog-${size}`}>
        <AriaDialog
          ref={frameRef}
          role={role}
          className="dialog-frame"
          aria-describedby={description ? descriptionId : undefined}
          data-testid={testId}
        >
          <header className="dialog-header">
            <div>
              <Heading slot="title" className="dialog-title">
                {title}
              </Heading>
              {description && (
                <p id={descriptionId} className="dialog-description">
                  {description}
                </p>
              )}
            </div>
            <IconButton
              label={t('common.close')}
              icon={<IconX />}
              size="sm"
              onClick={requestClose}
              data-testid="dialog-close"
            />
          </header>
          {bare ? (
            children
          ) : onSubmit ? (
            <form className="dialog-form" onSubmit={submit} noValidate>
              {content}
            </form>
          ) : (
            content
          )}
          <FocusFirstField root={root} />
          <DiscardConfirm
            open={asking}
            onKeep={() => {
              setAsking(false);
              focusSoon(returnTo.current);
            }}
            onDiscard={() => {
              setAsking(false);
              onClose();
            }}
          />
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}

/** "Discard your changes?": Escape or "Keep editing" goes back to the form as it was. */
function DiscardConfirm({
  open,
  onKeep,
  onDiscard,
}: {
  open: boolean;
  onKeep: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const root = useRef<HTMLElement | null>(null);
  return (
    <ModalOverlay
      isOpen={open}
      onOpenChange={(next) => {
        if (!next) onKeep();
      }}
      className="dialog-overlay"
    >
      <Modal className="dialog dialog-sm">
        <AriaDialog ref={root} role="alertdialog" className="dialog-frame" data-testid="discard-dialog">
          <header className="dialog-header">
            <Heading slot="title" className="dialog-title">
              {t('common.discard.title')}
            </Heading>
          </header>
          <div className="dialog-body">
            <p className="confirm-body">{t('common.discard.body')}</p>
          </div>
          <div className="dialog-footer">
            <Button onClick={onKeep} data-autofocus data-testid="discard-keep">
              {t('common.discard.keep')}
            </Button>
            <Button variant="danger" onClick={onDiscard} data-testid="discard-confirm">
              {t('common.discard.confirm')}
            </Button>
          </div>
          <FocusFirstField root={root} />
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  /** A sentence, or a list with links (why issuing was refused). */
  error?: ReactNode;
  onConfirm: () => void;
  onClose: () => void;
}

/**
 * A confirmation (an alert dialog). A destructive one opens with the focus on Cancel, the
 * answer that loses nothing; a harmless one on its confirm button.
 */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  tone = 'danger',
  busy = false,
  error,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      size="sm"
      testId="confirm-dialog"
      role="alertdialog"
      onSubmit={onConfirm}
      footer={
        <>
          <Button
            onClick={onClose}
            data-testid="confirm-cancel"
            data-autofocus={tone === 'danger' || undefined}
          >
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            variant={tone}
            loading={busy}
            data-testid="confirm-ok"
            data-autofocus={tone !== 'danger' || undefined}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="confirm-body">{body}</div>
      {error && (
        <Alert tone="error" testId="confirm-error">
          {error}
        </Alert>
      )}
    </Dialog>
  );
}

/**
 * The form of a `bare` dialog: its fields, the server's refusal under them, then Cancel and the
 * one submit button. Enter submits; the browser's own validation stays off (the fields say what
 * is wrong in the person's language).
 */
/**
 * A dialog that holds its own form (DialogForm): the form is mounted only while the dialog is
 * open, so each opening starts from the record's values, not from an edit left behind.
 */
export function FormDialog({ open, children, ...rest }: Omit<DialogProps, 'bare' | 'footer' | 'onSubmit'>) {
  return (
    <Dialog open={open} bare {...rest}>
      {open && children}
    </Dialog>
  );
}

export function DialogForm({
  onSubmit,
  onCancel,
  cancelLabel,
  error,
  errorTestId,
  submit,
  bodyClassName,
  children,
}: {
  onSubmit: () => void;
  onCancel: () => void;
  cancelLabel?: ReactNode;
  error?: ReactNode;
  errorTestId?: string;
  submit: {
    label: ReactNode;
    variant?: 'primary' | 'danger';
    loading?: boolean;
    disabled?: boolean;
    testId: string;
  };
  /** A layout of the body's own (e.g. a message editor), beside the dialog's. */
  bodyClassName?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="dialog-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div className={bodyClassName ? `dialog-body ${bodyClassName}` : 'dialog-body'}>
        {children}
        {error && (
          <Alert tone="error" testId={errorTestId}>
            {error}
          </Alert>
        )}
      </div>
      <div className="dialog-footer">
        <Button onClick={onCancel}>{cancelLabel ?? t('common.cancel')}</Button>
        <Button
          type="submit"
          variant={submit.variant ?? 'primary'}
          loading={submit.loading}
          disabled={submit.disabled}
          data-testid={submit.testId}
        >
          {submit.label}
        </Button>
      </div>
    </form>
  );
}
