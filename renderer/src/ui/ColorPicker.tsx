import { ColorSwatchPicker, ColorSwatchPickerItem } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { TAG_COLORS } from '#common/tag-names';
import { IconCheck } from './icons';

/**
 * Preset swatches (the tag palette) plus a free colour. The swatches are React Aria's colour
 * swatch picker: one tab stop, the arrow keys move between swatches, Enter or Space chooses.
 */
export function ColorPicker({
  value,
  onChange,
  label,
  testId,
}: {
  value: string;
  onChange: (color: string) => void;
  label: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const lower = value.toLowerCase();
  const custom = !(TAG_COLORS as readonly string[]).includes(lower);
  return (
    <div className="color-picker" data-testid={testId}>
      <ColorSwatchPicker
        aria-label={label}
        className="swatch-list"
        value={custom ? undefined : lower}
        onChange={(color) => onChange(color.toString('hex').toLowerCase())}
      >
        {TAG_COLORS.map((color) => (
          <ColorSwatchPickerItem
            key={color}
            color={color}
            className="swatch"
            style={{ background: color }}
            data-testid={testId ? `${testId}-${color.slice(1)}` : undefined}
          >
            {({ isSelected }) => isSelected && <IconCheck size={12} />}
          </ColorSwatchPickerItem>
        ))}
      </ColorSwatchPicker>
      <label
        className={`swatch swatch-custom${custom ? ' swatch-custom-on' : ''}`}
        title={t('common.customColor')}
      >
        <span className="visually-hidden">{t('common.customColor')}</span>
        <input
          type="color"
          value={/^#[0-9a-f]{6}$/i.test(value) ? value : '#5046e5'}
          onChange={(e) => onChange(e.target.value)}
        />
        <span className="swatch-custom-fill" style={{ background: custom ? value : undefined }} />
      </label>
    </div>
  );
}
