import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ColorPicker } from '../../ui/ColorPicker';
import { Popover } from '../../ui/Popover';

/**
 * A tag's colour as a swatch that opens the palette; picking a colour closes it (a new tag's
 * colour and an existing tag's recolouring).
 */
export function SwatchPicker({
  color,
  onPick,
  label,
  testId,
  pickerTestId,
}: {
  color: string;
  onPick: (color: string) => void;
  /** What the swatch does, for a screen reader ("Pick a colour", "Recolour VIP"). */
  label: string;
  testId: string;
  pickerTestId: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger={
        <button
          type="button"
          className="swatch-button"
          style={{ background: color }}
          aria-label={label}
          data-testid={testId}
        />
      }
    >
      <div className="menu-pad">
        <ColorPicker
          value={color}
          onChange={(c) => {
            setOpen(false);
            onPick(c);
          }}
          label={t('tags.color')}
          testId={pickerTestId}
        />
      </div>
    </Popover>
  );
}
