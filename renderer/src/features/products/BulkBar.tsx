import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { Button } from '../../ui/Button';
import { IconPlus, IconX } from '../../ui/icons';

export function BulkBar({
  count,
  onAddTag,
  onRemoveTag,
  onClear,
}: {
  count: number;
  onAddTag: () => void;
  onRemoveTag: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section className="bulk-bar" aria-label={t('products.bulk.label')} data-testid="bulk-bar">
      <span className="bulk-count" data-testid="bulk-count">
        {t('products.bulk.selected', { count, formatted: fmt.number(count) })}
      </span>
      <span className="bulk-sep" aria-hidden="true" />
      <Button
        size="sm"
        variant="ghost"
        icon={<IconPlus size={14} />}
        onClick={onAddTag}
        data-testid="bulk-add-tag"
      >
        {t('products.bulk.addTag')}
      </Button>
      <Button size="sm" variant="ghost" onClick={onRemoveTag} data-testid="bulk-remove-tag">
        {t('products.bulk.removeTag')}
      </Button>
      <span className="bulk-sep" aria-hidden="true" />
      <Button size="sm" variant="ghost" icon={<IconX size={14} />} onClick={onClear} data-testid="bulk-clear">
        {t('products.bulk.clear')}
      </Button>
    </section>
  );
}
