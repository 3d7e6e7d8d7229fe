import { useTranslation } from 'react-i18next';
import { Button } from './Button';
import { IconPencil, IconTrash } from './icons';

// The small "Edit" and "Delete" a card or row of a panel offers (addresses, work teams): one
// look and one wording for both. Delete only asks: the caller opens its confirmation.

export function EditAction({ onPress, testId }: { onPress: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Button size="sm" variant="ghost" icon={<IconPencil size={14} />} onClick={onPress} data-testid={testId}>
      {t('common.edit')}
    </Button>
  );
}

export function DeleteAction({ onPress, testId }: { onPress: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Button
      size="sm"
      variant="ghost"
      className="danger-text"
      icon={<IconTrash size={14} />}
      onClick={onPress}
      data-testid={testId}
    >
      {t('common.delete')}
    </Button>
  );
}
