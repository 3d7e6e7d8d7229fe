// Issue 14, defect 11: the screen wrote CHF as "1.800,00 CHF" (German) and "2 527,77" (French)
// where Swiss usage is CHF 1'800.00. Formats follow the region chosen in Settings, else the
// browser's own variant of the interface language when Kontor knows it, else Swiss.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeFormatters } from '../../renderer/src/i18n/format';
import { FORMAT_REGIONS, regionFor } from '../../renderer/src/i18n/regions';

afterEach(() => vi.unstubAllGlobals());

describe('the format region', () => {
  it('is the chosen one, else the browser’s known variant, else Swiss', () => {
    vi.stubGlobal('navigator', { language: 'de-DE', languages: ['de-DE', 'en-US'] });
    expect(regionFor('de', 'auto')).toBe('de-DE');
    expect(regionFor('de', 'de-CH')).toBe('de-CH');
    // en-US is not a region Kontor formats for: English as written in Switzerland.
    expect(regionFor('en', 'auto')).toBe('en-CH');
    expect(regionFor('fr', 'auto')).toBe('fr-CH');
  });

  it('writes CHF 1’800.00 and 07.12.2026 the Swiss way, and each European region its own', () => {
    const money = (region: string) => makeFormatters(region).money(180_000, 'CHF');
    expect(money('de-CH')).toBe("CHF\u00a01'800.00");
    expect(money('en-CH')).toBe("CHF\u00a01'800.00");
    expect(money('de-DE')).toBe('1.800,00\u00a0CHF');
    expect(makeFormatters('de-CH').date('2026-12-07')).toBe('07.12.2026');
    // Every region formats without throwing and keeps the amount's digits.
    for (const region of FORMAT_REGIONS) expect(money(region).replace(/\D/g, '')).toBe('180000');
  });
});
