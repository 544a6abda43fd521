/** The spool's counters, and how far behind a reader is. */
import type { Position } from './cursor.js';
import type { SegmentIndex } from './segment.js';

export interface SpoolCounters {
  appendedSpans: number;
  appendedBatches: number;
  droppedSpans: number;
  droppedSegments: number;
  refusedSpans: number;
  diskErrors: number;
  cutBytes: number;
}

export const newSpoolCounters = (): SpoolCounters => ({
  appendedSpans: 0,
  appendedBatches: 0,
  droppedSpans: 0,
  droppedSegments: 0,
  refusedSpans: 0,
  diskErrors: 0,
  cutBytes: 0,
});

/** Spans in the segments from `pos` (a normalised position) on, and the age of the first of them. */
export function lagFrom(segments: readonly SegmentIndex[], pos: Position): { spans: number; seconds: number } {
  let spans = 0;
  let oldest: number | undefined;
  for (const s of segments) {
    if (s.id < pos.seg) continue;
    const off = s.id === pos.seg ? pos.off : 0;
    spans += s.spansFrom(off);
    oldest ??= s.acceptedAtFrom(off);
  }
  return { spans, seconds: oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000) };
}
