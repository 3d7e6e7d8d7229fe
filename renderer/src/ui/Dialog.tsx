import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from './Alert';
import { Button } from './Button';
import { IconButton } from './Button';
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
}

/**
 * A modal built on <dialog>: showModal() gives the focus trap, the inert background, the
 * top layer and Escape for free. Content mounts only while open, so each opening starts
 * from fresh state.
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
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const { t } = useTranslation();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

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
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <div>
              <h2 id={titleId} className="dialog-title">
                {title}
              </h2>
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
              onClick={onClose}
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
        </>
      )}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

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
      onSubmit={onConfirm}
      footer={
        <>
          <Button onClick={onClose} data-testid="confirm-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant={tone} loading={busy} data-testid="confirm-ok" autoFocus>
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
