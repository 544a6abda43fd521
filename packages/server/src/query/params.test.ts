import { describe, expect, it } from 'vitest';
import { goDurationNs, lookbackParam, rfc3339Param, traceIdParam } from './params.js';
import { RawInt, toJson } from './http.js';

describe('query parameter parsers', () => {
  it('parses Go durations exactly', () => {
    expect(goDurationNs('10ms')).toBe(10_000_000n);
    expect(goDurationNs('1.5s')).toBe(1_500_000_000n);
    expect(goDurationNs('1h30m')).toBe(5_400_000_000_000n);
    expect(goDurationNs('250us')).toBe(250_000n);
    expect(goDurationNs('3µs')).toBe(3_000n);
    expect(goDurationNs('0')).toBe(0n);
    expect(goDurationNs('.5ms')).toBe(500_000n);
    expect(goDurationNs('0.000000001s')).toBe(1n);
    for (const bad of ['', '10', 'ms', '1x', '1.5', '1 s']) expect(goDurationNs(bad), bad).toBeUndefined();
  });

  it('parses the Jaeger UI lookbacks', () => {
    expect(lookbackParam('lookback', '2d')).toBe(2n * 86_400_000_000_000n);
    expect(lookbackParam('lookback', '1w')).toBe(7n * 86_400_000_000_000n);
    expect(lookbackParam('lookback', '15m')).toBe(900_000_000_000n);
    expect(lookbackParam('lookback', 'custom')).toBeUndefined();
  });

  it('parses RFC 3339 times to the nanosecond', () => {
    expect(rfc3339Param('t', '2023-11-14T22:13:20.123456789Z')).toBe(1_700_000_000_123_456_789n);
    expect(rfc3339Param('t', '2023-11-14T23:13:20.5+01:00')).toBe(1_700_000_000_500_000_000n);
    expect(() => rfc3339Param('query.startTimeMin', '2023-11-14')).toThrow(/'query\.startTimeMin'/);
  });

  it('normalises 16- and 32-digit trace ids and rejects others', () => {
    expect(traceIdParam('id', 'ABCDEF0123456789')).toBe('0000000000000000abcdef0123456789');
    expect(() => traceIdParam('id', 'a'.repeat(33))).toThrow(/32 \(or 16\) hex/);
    const b64 = Buffer.from('a1a2a3a4a5a6a7a8a9aaabacadaeaf00', 'hex').toString('base64url');
    expect(traceIdParam('id', b64, true)).toBe('a1a2a3a4a5a6a7a8a9aaabacadaeaf00');
    expect(() => traceIdParam('id', b64)).toThrow(/'id'/);
  });

  it('writes int64 values beyond 2^53 as bare JSON digits', () => {
    const text = toJson({ v: new RawInt(-9223372036854775808n), s: 'x' }, false);
    expect(text).toBe('{"v":-9223372036854775808,"s":"x"}');
  });
});
