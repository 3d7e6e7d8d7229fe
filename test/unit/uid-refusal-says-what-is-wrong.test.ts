// Issue 14, defect 5: refusing the UID CHE-123.456.789 said "It looks like CHE-123.456.789",
// repeating the input instead of saying what is wrong with it. The refusal names the number
// once, says why (its check digit), and how a UID is made — in en, fr and de.
import { describe, expect, it } from 'vitest';
import { translateError } from '#common/i18n/errors';
import { checkSwissUid } from '#common/vat';

describe('a refused Swiss UID', () => {
  it.each(['en', 'fr', 'de'] as const)('says what is wrong without repeating the input (%s)', (locale) => {
    const number = 'CHE-123.456.789';
    const check = checkSwissUid(number);
    expect(check.valid).toBe(false);
    const reason = check.valid ? '' : check.reason;
    expect(reason).toBe('bad_checksum');
    const message = translateError('uid_invalid', { number, reason }, locale);
    expect(message.split(number)).toHaveLength(2);
    expect(message).toMatch(/CHE/);
    expect(message).toMatch(/(check digit|clé de contrôle|Prüfziffer)/);
  });
});
