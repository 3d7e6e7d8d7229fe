import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TAG_COLORS, tagNameKey } from '#common/tag-names';
import { useApiMutation } from '../../api/queries';
import type { TagWithCount } from '../../api/types';
import { Button } from '../../ui/Button';
import { IconPlus } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import { SwatchPicker } from './SwatchPicker';

/**
 * A new tag: a name (refused here already when another tag has it, whatever its case and
 * accents) and a colour, the next of the palette by default.
 */
export function CreateTagForm({ orgId, existing }: { orgId: string; existing: TagWithCount[] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [name, setName] = useState('');
  const [color, setColor] = useState<string>(
    TAG_COLORS[existing.length % TAG_COLORS.length] ?? TAG_COLORS[0],
  );
  const [error, setError] = useState<string | null>(null);
  const clash = name.trim() ? existing.find((tag) => tagNameKey(tag.name) === tagNameKey(name)) : undefined;
  const create = useApiMutation('tags.create', {
    onSuccess: (tag) => {
      toast.success(t('tags.created', { name: tag.name }));
      setName('');
      setError(null);
      setColor(TAG_COLORS[(existing.length + 1) % TAG_COLORS.length] ?? TAG_COLORS[0]);
    },
    onError: (e) => setError(e.message),
  });
  const localError = clash
    ? t('tags.nameTaken', { name: clash.name })
    : name.trim().length > 40
      ? t('tags.nameTooLong')
      : null;

  return (
    <form
      className="tag-create"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim() || localError) return;
        create.mutate({ organizationId: orgId, name: name.trim(), color });
      }}
    >
      <div className="tag-create-row">
        <SwatchPicker
          color={color}
          onPick={setColor}
          label={t('tags.pickColor')}
          testId="tag-create-color"
          pickerTestId="tag-create-color-picker"
        />
        <label htmlFor="tag-name-input" className="visually-hidden">
          {t('tags.name')}
        </label>
        <input
          id="tag-name-input"
          className="input grow"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
          placeholder={t('tags.namePlaceholder')}
          maxLength={60}
          aria-invalid={localError || error ? true : undefined}
          aria-describedby="tag-create-msg"
          data-testid="tag-name-input"
          autoComplete="off"
        />
        <Button
          type="submit"
          variant="primary"
          icon={<IconPlus />}
          loading={create.isPending}
          disabled={!name.trim() || localError !== null}
          data-testid="tag-create"
        >
          {t('tags.create')}
        </Button>
      </div>
      <p
        id="tag-create-msg"
        className={localError || error ? 'field-error' : 'field-hint'}
        role={localError || error ? 'alert' : undefined}
        data-testid={localError || error ? 'tag-create-error' : undefined}
      >
        {localError ?? error ?? t('tags.createHint')}
      </p>
    </form>
  );
}
