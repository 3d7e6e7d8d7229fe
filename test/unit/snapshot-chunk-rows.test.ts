import { describe, expect, it } from 'vitest';
import { copyChunkRows } from '#server/sync/snapshot';

// A COPY's snapshot chunk is read whole into memory (server/store/postgres-copy.ts): its rows
// are chosen from the bytes per row of the chunk before, so a table of big rows keeps chunks
// near 3 MiB and one of small rows takes fewer round trips, within fixed bounds.

describe('copyChunkRows', () => {
  it('fits ~3 MiB of rows the size of the last chunk', () => {
    // 500 products of ~1.5 KB: ~2,000 next.
    expect(copyChunkRows(500, 500 * 1_536)).toBe(2_048);
    expect(copyChunkRows(2_048, 2_048 * 1_536)).toBe(2_048);
  });

  it('stays within its bounds: small rows at most 4,000, big ones at least 50', () => {
    expect(copyChunkRows(500, 500 * 100)).toBe(4_000);
    expect(copyChunkRows(500, 500 * 1024 * 1024)).toBe(50);
  });

  it('a chunk of rows without fields (no bytes) asks for the most', () => {
    expect(copyChunkRows(500, 0)).toBe(4_000);
    expect(copyChunkRows(0, 0)).toBe(4_000);
  });
});
