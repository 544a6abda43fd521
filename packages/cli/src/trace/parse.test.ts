/** Command-line input: traceparent, times, attributes, carriers, target resolution. */
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../export/config.js';
import { parseAttr, parseKind } from './cli-span.js';
import { formatTraceparent, parseTraceparent, randomHex } from './context.js';
import { parseTimeNs } from './time.js';

describe('traceparent', () => {
  it('parses valid values, ignores empty ones and rejects invalid ones with a reason', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
      traceState: '',
    });
    expect(parseTraceparent('')).toBeUndefined();
    expect(parseTraceparent('  ')).toBeUndefined();
    expect(() => parseTraceparent('00-xyz')).toThrow(/not a W3C traceparent/);
    expect(() => parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toThrow(/all-zero/);
    const id = randomHex(32);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(formatTraceparent(id, 'ab'.repeat(8), 1)).toBe(`00-${id}-${'ab'.repeat(8)}-01`);
  });
});

describe('times', () => {
  it('reads seconds, ms, µs, ns, decimals and ISO 8601 exactly', () => {
    expect(parseTimeNs('1764216000')).toBe(1_764_216_000_000_000_000n);
    expect(parseTimeNs('1764216000123')).toBe(1_764_216_000_123_000_000n);
    expect(parseTimeNs('1764216000123456')).toBe(1_764_216_000_123_456_000n);
    expect(parseTimeNs('1764216000123456789')).toBe(1_764_216_000_123_456_789n);
    expect(parseTimeNs('1764216000.123456789')).toBe(1_764_216_000_123_456_789n);
    expect(parseTimeNs('1764216000.5')).toBe(1_764_216_000_500_000_000n);
    expect(parseTimeNs('2025-11-27T04:00:00.123456Z')).toBe(1_764_216_000_123_456_000n);
    expect(() => parseTimeNs('yesterday', '--start')).toThrow(/--start "yesterday" is not a time/);
  });
});

describe('attributes and kinds', () => {
  it('keeps plain types and names what is wrong', () => {
    expect(parseAttr('a=b=c')).toEqual(['a', 'b=c']);
    expect(parseAttr('n=42')).toEqual(['n', 42n]);
    expect(parseAttr('r=0.5')).toEqual(['r', 0.5]);
    expect(parseAttr('ok=true')).toEqual(['ok', true]);
    expect(parseAttr('sha=0123abc')).toEqual(['sha', '0123abc']);
    expect(() => parseAttr('novalue')).toThrow(/key=value/);
    expect(parseKind('CLIENT')).toBe(3);
    expect(() => parseKind('rpc')).toThrow(/internal, server/);
  });
});

describe('export target', () => {
  it('follows flags, inherited SKEIN_* and OTEL_* variables in that order', () => {
    expect(resolveTarget({}, {}).url).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).url).toBe('http://c:4318/v1/traces');
    expect(resolveTarget({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:1/custom' }).url).toBe('http://c:1/custom');
    expect(resolveTarget({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({ protocol: 'grpc', url: 'http://127.0.0.1:4317' });
    expect(resolveTarget({ endpoint: 'unix:/run/f.sock' }, {})).toMatchObject({ protocol: 'framed', url: 'unix:/run/f.sock' });
    expect(resolveTarget({}, { SKEIN_ENDPOINT: 'http://a:1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://b:2' }).url).toBe('http://a:1/v1/traces');
    expect(resolveTarget({}, { OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%20d,k=v' }).headers).toEqual({ 'x-api-key': 'abc d', k: 'v' });
    expect(() => resolveTarget({ protocol: 'carrier-pigeon' }, {})).toThrow(/not one of http\/protobuf/);
    // the endpoint as the user gave it, not with /v1/traces added
    expect(() => resolveTarget({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'unix:/run/o.sock' })).toThrow('endpoint "unix:/run/o.sock" is not an http:// or https:// URL');
  });
});
