import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { IconCheck, IconTrash } from '../../ui/icons';
import type { AutosaveStatus } from './useDraftKeeping';

/**
 * The draft editor's actions in the page header: autosave status, delete, save (submits the
 * editor's form by id) and issue. Delete and issue only open their confirmations.
 */
export function EditorActions({
  autosave,
  proForma,
  stale,
  saving,
  mayDelete,
  mayIssue,
  onDelete,
  onIssue,
}: {
  autosave: AutosaveStatus;
  proForma: boolean;
  /** Issued elsewhere meanwhile: nothing left to delete. */
  stale: boolean;
  saving: boolean;
  /** What the acting person may do with the issuer's documents (common/authority). */
  mayDelete: boolean;
  mayIssue: boolean;
  onDelete: () => void;
  onIssue: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <AutosaveStatusText status={autosave} />
      {mayDelete && (
        <Button
          variant="ghost"
          icon={<IconTrash size={14} />}
          onClick={onDelete}
          disabled={stale}
          data-testid="invoice-delete-draft"
        >
          {t('invoiceEditor.delete')}
        </Button>
      )}
      <Button type="submit" form="invoice-editor" loading={saving} data-testid="invoice-save">
        {t('common.save')}
      </Button>
      {mayIssue && (
        <Button
          variant="primary"
          icon={<IconCheck size={14} />}
          onClick={onIssue}
          data-testid="invoice-issue"
        >
          {proForma ? t('invoiceEditor.issueProForma') : t('invoiceEditor.issue')}
        </Button>
      )}
    </>
  );
}

/** "Saving…", "All changes saved", "Not saved: complete the lines" beside the editor's actions. */
function AutosaveStatusText({ status }: { status: AutosaveStatus }) {
  const { t } = useTranslation();
  if (status === 'idle') return null;
  return (
    <span
      className={`inv-autosave inv-autosave-${status}`}
      role="status"
      data-testid="invoice-autosave"
      data-status={status}
    >
      {t(`invoiceEditor.autosave.${status}`)}
    </span>
  );
}
