import { describe, expect, it } from 'vitest';
import { redParts } from './queries.js';

describe('redParts', () => {
  const q = { service: 's', startNs: 1000n, endNs: 1000n + 10n * 7n, stepNs: 7n };

  it('covers the range with runs of whole buckets, without gaps or overlaps', () => {
    for (const parts of [1, 2, 3, 4, 11, 50]) {
      const ranges = redParts(q, parts);
      expect(ranges.length).toBe(Math.min(parts, 11));
      expect(ranges[0]![0]).toBe(q.startNs);
      expect(ranges.at(-1)![1]).toBe(q.endNs);
      for (let i = 1; i < ranges.length; i++) {
        expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);
        expect((ranges[i]![0] - q.startNs) % q.stepNs).toBe(0n);
      }
    }
  });

  it('keeps an empty range as it is', () => {
    expect(redParts({ ...q, endNs: 10n }, 3)).toEqual([[1000n, 10n]]);
  });
});
