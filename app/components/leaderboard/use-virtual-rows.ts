"use client";
// The leaderboard's virtualizer: a fixed-height scroll container over `count` rows of variable height (measured),
// reporting which rows are rendered so the page loads just those pages.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";

/** A trial row without extra lines, in px; rows are measured once drawn. */
export const ROW_ESTIMATE = 51;
const OVERSCAN = 8;

export function useVirtualRows({ count, keyOf, onRange, resetKey }: { count: number; keyOf(index: number): string; onRange(start: number, end: number): void; resetKey: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    getItemKey: keyOf,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length ? items[items.length - 1].index : 0;
  useEffect(() => onRange(first, last), [first, last, onRange]);
  // A new sort or filter starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);
  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  return { scrollRef, virtualizer, items, paddingTop, paddingBottom };
}
