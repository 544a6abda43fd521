/** Unit tests for the human formats that charts and tables print. */
import { describe, expect, it } from 'vitest';
import { fmtAxisDuration, fmtAxisTimes, fmtCountOf } from '../src/trace/format.js';
import { fmtRatio, operationRows, rateFormat } from '../src/components/OperationsTable.js';
import { stepFor } from '../src/api/metrics.js';

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

describe('chart and monitor formats', () => {
  it('axis durations drop trailing zeros but keep every digit that counts', () => {
    expect([0, 6e9, 2.5e9, 100e6, 12e6, 1.25e9, 850].map(fmtAxisDuration)).toEqual(['0', '6s', '2.5s', '100ms', '12ms', '1.25s', '850ns']);
  });

  it('rates share the unit the largest one needs', () => {
    expect([0, 0.5, 12.34, 250].map(rateFormat(250))).toEqual(['0', '0.5/s', '12.3/s', '250/s']);
    expect([0.5, 1 / 60].map(rateFormat(0.5))).toEqual(['30/min', '1/min']);
    expect([4 / 3600].map(rateFormat(4 / 3600))).toEqual(['4/h']);
    expect(rateFormat(1)(NaN)).toBe('-');
  });

  it('error ratios as percentages, tiny ones not rounded to zero', () => {
    expect([0, 0.25, 0.0051, 0.0004, NaN].map(fmtRatio)).toEqual(['0%', '25%', '0.51%', '<0.1%', '-']);
  });

  it('steps give at most 120 points for every preset range', () => {
    for (const lookback of [5 * 60e3, 3600e3, 86_400e3, 7 * 86_400e3]) expect(lookback / stepFor(lookback)).toBeLessThanOrEqual(120);
    expect(stepFor(3600e3)).toBe(30e3);
  });

  it('operation rows: impact is p95 x rate against the largest; operations without calls are left out', () => {
    const series = (operation: string, p95: number, rate: number) => ({ operation, p50: [NaN, p95 / 2], p95: [NaN, p95], p99: [NaN, p95], rate: [0, rate], errors: [NaN, 0] });
    const rows = operationRows([series('a', 100, 2), series('b', 400, 0.25), series('idle', NaN, 0)]);
    expect(rows.map((r) => [r.operation, r.impact])).toEqual([['a', 1], ['b', 0.5]]);
  });
});
