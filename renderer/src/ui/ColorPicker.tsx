import { useTranslation } from 'react-i18next';
import { TAG_COLORS } from '#common/tag-names';
import { IconCheck } from './icons';

/** Preset swatches (the tag palette) plus a free colour; a radio group to assistive technology. */
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
    <div className="color-picker" role="radiogroup" aria-label={label} data-testid={testId}>
      {TAG_COLORS.map((color) => (
        <button
          key={color}
          type="button"
          role="radio"
          aria-checked={lower === color}
          aria-label={color}
          className="swatch"
          style={{ background: color }}
          onClick={() => onChange(color)}
          data-testid={testId ? `${testId}-${color.slice(1)}` : undefined}
        >
          {lower === color && <IconCheck size={12} />}
        </button>
      ))}
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
