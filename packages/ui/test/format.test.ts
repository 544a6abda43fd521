/** Unit tests for the human formats that charts and tables print. */
import { describe, expect, it } from 'vitest';
import { fmtAxisTimes, fmtCountOf } from '../src/trace/format.js';

const at = Date.UTC(2026, 10, 27, 12, 0, 0); // noon UTC: the same day in every time zone's ±11 h

describe('fmtAxisTimes', () => {
  it('tells ticks a third of a second apart apart, with milliseconds', () => {
    const labels = fmtAxisTimes([0, 333, 667, 1000].map((d) => at + d));
    expect(new Set(labels).size).toBe(4);
    for (const l of labels) expect(l).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('prints minutes for an hour and seconds for a minute', () => {
    for (const l of fmtAxisTimes([0, 20, 40, 60].map((m) => at + m * 60_000))) expect(l).toMatch(/^\d\d:\d\d$/);
    for (const l of fmtAxisTimes([0, 20, 40, 60].map((s) => at + s * 1000))) expect(l).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('adds the month and day when the ticks span days', () => {
    const labels = fmtAxisTimes([0, 1, 2, 3].map((d) => at + d * 86_400_000));
    expect(new Set(labels).size).toBe(4);
    for (const l of labels) expect(l).toMatch(/^\d\d-\d\d \d\d:\d\d$/);
  });
});

describe('fmtCountOf', () => {
  it('puts the noun in the plural unless the count is one', () => {
    expect(fmtCountOf(1, 'call')).toBe('1 call');
    expect(fmtCountOf(0, 'error')).toBe('0 errors');
    expect(fmtCountOf(12345, 'trace')).toBe('12,345 traces');
  });
});
