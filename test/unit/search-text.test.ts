// What a typed search becomes: words cut like the index cuts text, amounts read in every
// format a person writes them, and FTS5 syntax never taken from the person's text.
import { describe, expect, it } from 'vitest';
import { searchWords } from '#common/search-text';
import { matchExpression } from '#core/services/search/fts-match';

const amount = (text: string) => searchWords(text)[0]?.amount ?? null;

describe('searchWords', () => {
  it('reads 2527.77 in every format as the same complete amount', () => {
    for (const text of ['2527.77', '2,527.77', "2'527.77", '2’527.77', '2 527,77', '2\u202f527,77', '2.527,77', '2527,77']) {
      expect(amount(text), text).toEqual({ digits: '252777', complete: true });
      expect(searchWords(text), text).toHaveLength(1);
    }
  });

  it('reads an amount being typed as the start of its minor units', () => {
    expect(amount('2527')).toEqual({ digits: '2527', complete: false });
    expect(amount("2'527.")).toEqual({ digits: '2527', complete: false });
    expect(amount("2'527.7")).toEqual({ digits: '25277', complete: false });
    expect(amount('2,527')).toEqual({ digits: '2527', complete: false });
    expect(amount('0.5')).toEqual({ digits: '5', complete: false });
  });

  it('does not read words, invoice-number ends or negative numbers as amounts', () => {
    expect(amount('kase')).toBeNull();
    expect(amount('0001')).toBeNull();
    expect(amount('INV-2026')).toBeNull();
    expect(amount('CHE-109.322.551')).toBeNull();
  });

  it('cuts words into tokens the way unicode61 does, lower-cased', () => {
    expect(searchWords('  INV-ACME-2026-0001   Käserei ').map((w) => w.tokens)).toEqual([
      ['inv', 'acme', '2026', '0001'],
      ['käserei'],
    ]);
    expect(searchWords('zoe.weiss@example.ch')[0]?.tokens).toEqual(['zoe', 'weiss', 'example', 'ch']);
    expect(searchWords('-- " ()')).toEqual([]);
  });

  it('keeps a decomposed accent inside its word', () => {
    expect(searchWords('Ka\u0308serei')[0]?.tokens).toEqual(['käserei']);
  });

  it('matches at most 8 words', () => {
    expect(searchWords('a b c d e f g h i j k')).toHaveLength(8);
  });
});

describe('matchExpression', () => {
  it('quotes every token, so FTS5 operators and column filters are plain words', () => {
    expect(matchExpression(searchWords('name:kase NEAR OR'), { amounts: false })).toBe(
      '({words} : "name kase" *) AND ({words} : "near" *) AND ({words} : "or" *)',
    );
  });

  it('offers the amount column beside the words in the invoice index only', () => {
    expect(matchExpression(searchWords("2'527.77"), { amounts: true })).toBe(
      '({words} : "2 527 77" * OR {amount} : "252777")',
    );
    expect(matchExpression(searchWords("2'527.77"), { amounts: false })).toBe('({words} : "2 527 77" *)');
    expect(matchExpression([], { amounts: true })).toBeNull();
  });

  it('in the large invoice index, leaves out a dangling one-character token (no prefix index for it)', () => {
    expect(matchExpression(searchWords('INV-2'), { amounts: false, large: true })).toBe('({words} : "inv")');
    expect(matchExpression(searchWords('kaserei INV-20'), { amounts: false, large: true })).toBe(
      '({words} : "kaserei" *) AND ({words} : "inv 20" *)',
    );
    // In the small indexes the prefix stays (a few thousand rows: cheap, and ranked by it).
    expect(matchExpression(searchWords('INV-2'), { amounts: false })).toBe('({words} : "inv 2" *)');
  });
});
