import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { TagWithCount } from '../../api/types';
import { IconCheck } from '../../ui/icons';

/** The product form's tags: one pressed/unpressed toggle per tag of the organization. */
export function ProductTagToggles({
  tags,
  selected,
  onToggle,
}: {
  tags: TagWithCount[];
  selected: string[];
  onToggle: (tagId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">{t('products.form.tags')}</legend>
      {tags.length === 0 ? (
        <p className="field-hint">{t('products.form.noTags')}</p>
      ) : (
        <div className="tag-toggles" data-testid="product-form-tags">
          {tags.map((tag) => {
            const on = selected.includes(tag.id);
            return (
              <button
                key={tag.id}
                type="button"
                className={`tag-toggle${on ? ' tag-toggle-on' : ''}`}
                style={{ '--tag': tag.color } as CSSProperties}
                aria-pressed={on}
                onClick={() => onToggle(tag.id)}
                data-testid={`product-form-tag-${tag.name}`}
              >
                {on ? <IconCheck size={12} /> : <span className="tag-dot" aria-hidden="true" />}
                {tag.name}
              </button>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}
