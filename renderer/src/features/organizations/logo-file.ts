import { type ChangeEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOGO_MAX_BYTES, LOGO_MEDIA_TYPES } from '#common/logo';
import { useFormat } from '../../i18n/format';

const kb = (bytes: number) => Math.ceil(bytes / 1024);

/**
 * Reads a chosen logo file into the data URL the store keeps, refusing in the person's words
 * what the store would refuse (common/logo.ts): the organization form and the firm set-up share it.
 */
export function useLogoFile(onLogo: (dataUrl: string | null) => void) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [error, setError] = useState<string | null>(null);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (!(LOGO_MEDIA_TYPES as readonly string[]).includes(file.type)) return setError(t('org.form.logoType'));
    if (file.size > LOGO_MAX_BYTES)
      return setError(
        t('org.form.logoTooLarge', { size: fmt.number(kb(file.size)), max: fmt.number(kb(LOGO_MAX_BYTES)) }),
      );
    const reader = new FileReader();
    reader.onload = () => {
      setError(null);
      onLogo(typeof reader.result === 'string' ? reader.result : null);
    };
    reader.onerror = () => setError(t('org.form.logoUnreadable'));
    reader.readAsDataURL(file);
  };
  return {
    error,
    onChange,
    accept: LOGO_MEDIA_TYPES.join(','),
    hint: t('org.form.logoHint', { max: fmt.number(kb(LOGO_MAX_BYTES)) }),
  };
}
