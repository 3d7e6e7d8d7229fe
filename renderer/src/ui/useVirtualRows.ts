import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';

/** Every row of a long list is this tall: the virtualizer places rows without measuring them. */
export const ROW_HEIGHT = 44;
/** How far beyond the last visible row the next page is loaded. */
const PREFETCH_ROWS = 60;

/**
 * The virtual window of a keyset-paged list (invoices, products): only the visible rows are in
 * the page, the next page is loaded a little ahead of the scroll, and new filters scroll back
 * to the top. One placeholder row stands for what is not loaded yet.
 */
export function useVirtualRows({
  loaded,
  total,
  hasNextPage,
  ensureLoaded,
  resetKey,
}: {
  loaded: number;
  total: number;
  hasNextPage: boolean;
  ensureLoaded: (index: number) => void;
  resetKey: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = hasNextPage ? Math.max(total, loaded + 1) : loaded;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage) ensureLoaded(lastVisible + PREFETCH_ROWS);
  }, [lastVisible, hasNextPage, ensureLoaded]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  return { scrollRef, virtualizer, items, count };
}
