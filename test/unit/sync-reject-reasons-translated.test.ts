// Every reason the hub gives for refusing a change reaches the Sync page as a sentence in the
// user's language, never as the generic "something went wrong" of an unknown code.
import { describe, expect, it } from 'vitest';
import { REJECT_REASONS } from '#common/sync/protocol';
import { translateError } from '#common/i18n/errors';

describe("the hub's refusal reasons", () => {
  for (const locale of ['en', 'fr', 'de'] as const) {
    it(`are translated in ${locale}`, () => {
      const fallback = translateError('internal', {}, locale);
      for (const reason of REJECT_REASONS) {
        const message = translateError(reason, {}, locale);
        expect(message, reason).not.toBe(fallback);
        expect(message, reason).not.toContain('{{');
      }
    });
  }
});
