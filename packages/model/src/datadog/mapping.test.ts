import { describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import type { KeyValue } from '../span.js';
import { MsgpackWriter } from './msgpack.js';
import { decodeDatadogV04, decodeDatadogV05, encodeDatadogV04, encodeDatadogV05 } from './index.js';
import { makeSpan } from '../test-support/spans.js';

/** Builds a v0.4 body with the reference msgpack encoder (bigints as 64-bit ints). */
const v04 = (traces: Record<string, unknown>[][]) => encode(traces, { useBigInt64: true });
const base = { service: 'web', name: 'express.request', resource: 'GET /users', trace_id: 0xfedcba9876543210n, span_id: 2n, parent_id: 0n, start: 1_700_000_000_123_456_789n, duration: 1_500n, error: 0, meta: {}, metrics: {} };
const one = (over: Record<string, unknown>) => decodeDatadogV04(v04([[{ ...base, ...over }]])).spans[0]!;
const attr = (s: { attributes: KeyValue[] }, k: string) => s.attributes.find((a) => a.key === k)?.value;

describe('Datadog payload rules', () => {
  it('P1 v0.4 maps with unknown keys and nil values', () => {
    const s = one({ type: null, unknown_field: { deep: [1, 2] }, meta_struct: { x: new Uint8Array([1]) } });
    expect([s.name, s.spanId]).toEqual(['express.request', '0000000000000002']);
  });
  it('P2 v0.5 string tables', () => {
    // The reference encoder cannot write integer map keys, so this body is written by hand.
    const w = new MsgpackWriter();
    w.array(2);
    w.array(7);
    for (const t of ['', 'svc', 'op', 'res', 'k', 'v', 'sql']) w.str(t);
    w.array(1);
    w.array(1);
    w.array(12);
    for (const n of [1, 2, 3]) w.int32(n);
    for (const n of [10n, 11n, 0n]) w.uint64(n);
    w.int64(5000n);
    w.int64(10n);
    w.int32(1);
    w.map(1);
    w.int32(4);
    w.int32(5);
    w.map(1);
    w.int32(4);
    w.float64(1.5);
    w.int32(6);
    const body = w.finish();
    const s = decodeDatadogV05(body).spans[0]!;
    expect([s.name, attr(s, 'resource.name'), attr(s, 'k'), s.status.code, attr(s, 'span.type'), s.kind]).toEqual(['op', 'res', 'v', 2, 'sql', 3]);
    expect(s.resource.attributes).toEqual([{ key: 'service.name', value: 'svc' }]);
  });
  it('P3 clear errors', () => {
    expect(() => decodeDatadogV04(v04([[{ ...base, service: 5 }]]))).toThrow(/traces\[0\]\[0\]: service must be a string/);
    expect(() => decodeDatadogV04(encode({ a: 1 }))).toThrow(/traces must be an array/);
    const good = v04([[base]]);
    expect(() => decodeDatadogV04(good.subarray(0, good.length - 3))).toThrow(/truncated/);
    expect(() => decodeDatadogV04(Uint8Array.from([...good, 1]))).toThrow(/unexpected bytes/);
    expect(() => decodeDatadogV05(encode([['a'], [[[9, 0, 0, 1, 1, 0, 0, 0, 0, {}, {}, 0]]]]))).toThrow(/service refers to string 9, but the table has 1/);
    expect(() => decodeDatadogV05(encode([['a'], [[[0, 0]]]]))).toThrow(/12 elements/);
    expect(() => decodeDatadogV04(Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]))).toThrow(/cannot fit/);
  });
});

describe('Datadog decode rules', () => {
  it('D1 _dd.p.tid restores the upper 64 bits for the whole chunk', () => {
    const { spans } = decodeDatadogV04(v04([[
      { ...base, meta: { '_dd.p.tid': '6789ABCD00000000' } },
      { ...base, span_id: 3n, parent_id: 2n },
    ]]));
    expect(spans.map((s) => s.traceId)).toEqual(['6789abcd00000000fedcba9876543210', '6789abcd00000000fedcba9876543210']);
    expect(attr(spans[0]!, '_dd.p.tid')).toBeUndefined();
    expect(one({}).traceId).toBe('0000000000000000fedcba9876543210');
  });
  it('D2 ids', () => {
    const s = one({ span_id: 0xffffffffffffffffn, parent_id: 7n });
    expect([s.spanId, s.parentSpanId]).toEqual(['ffffffffffffffff', '0000000000000007']);
    expect(one({}).parentSpanId).toBe('');
  });
  it('D3 exact nanoseconds', () => {
    const s = one({});
    expect([s.startTimeUnixNano, s.endTimeUnixNano]).toEqual([1_700_000_000_123_456_789n, 1_700_000_000_123_458_289n]);
  });
  it('D4 service, env, version, language to a shared resource', () => {
    const { spans } = decodeDatadogV04(v04([[{ ...base, meta: { env: 'prod', version: '1.2', language: 'javascript' } }, { ...base, span_id: 9n, meta: { env: 'prod', version: '1.2', language: 'javascript' } }]]));
    expect(spans[0]!.resource.attributes).toEqual([
      { key: 'service.name', value: 'web' }, { key: 'deployment.environment', value: 'prod' }, { key: 'service.version', value: '1.2' }, { key: 'telemetry.sdk.language', value: 'javascript' },
    ]);
    expect(spans[0]!.resource).toBe(spans[1]!.resource);
    expect(spans[0]!.attributes).toEqual([{ key: 'resource.name', value: 'GET /users' }]);
  });
  it('D5 D6 D7 name, resource and type', () => {
    const s = one({ type: 'web' });
    expect([s.name, attr(s, 'resource.name'), attr(s, 'span.type')]).toEqual(['express.request', 'GET /users', 'web']);
    expect(attr(one({ resource: 'express.request' }), 'resource.name')).toBeUndefined();
  });
  it('D8 kinds from span.kind meta, else from type', () => {
    expect(one({ meta: { 'span.kind': 'producer' } }).kind).toBe(4);
    expect(one({ type: 'web' }).kind).toBe(2);
    expect(one({ type: 'redis' }).kind).toBe(3);
    expect(one({ type: 'custom' }).kind).toBe(1);
    expect(attr(one({ meta: { 'span.kind': 'server' } }), 'span.kind')).toBeUndefined();
  });
  it('D9 D10 meta strings and metrics doubles', () => {
    const s = one({ meta: { 'http.method': 'GET' }, metrics: { 'http.status_code': 200, ratio: 0.25 } });
    expect([attr(s, 'http.method'), attr(s, 'http.status_code'), attr(s, 'ratio')]).toEqual(['GET', 200, 0.25]);
  });
  it('D11 error to status', () => {
    const s = one({ error: 1, meta: { 'error.message': 'boom', 'error.type': 'Error' } });
    expect(s.status).toEqual({ code: 2, message: 'boom' });
    expect(attr(s, 'error.type')).toBe('Error');
    expect(one({ error: 1 }).status).toEqual({ code: 2, message: '' });
  });
  it('D12 sampling priority: rejected chunks are dropped and counted', () => {
    const body = v04([[{ ...base, metrics: { _sampling_priority_v1: -1 } }, { ...base, span_id: 5n }], [{ ...base, trace_id: 1n, metrics: { _sampling_priority_v1: 2 } }]]);
    const d = decodeDatadogV04(body);
    expect([d.spans.length, d.droppedTraces, d.droppedSpans]).toEqual([1, 1, 2]);
    expect(attr(d.spans[0]!, '_sampling_priority_v1')).toBeUndefined();
    expect(d.spans[0]!.flags).toBe(1);
    expect(decodeDatadogV04(body, { keepRejected: true }).spans).toHaveLength(3);
  });
  it('D13 events from native span_events and from meta.events', () => {
    const native = one({ span_events: [{ name: 'e1', time_unix_nano: 5n, attributes: { a: { type: 2, int_value: 3 }, b: { type: 4, array_value: { values: [{ type: 0, string_value: 'x' }] } } } }] });
    expect(native.events).toEqual([{ name: 'e1', timeUnixNano: 5n, attributes: [{ key: 'a', value: 3n }, { key: 'b', value: ['x'] }], droppedAttributesCount: 0 }]);
    const legacy = one({ meta: { events: '[{"name":"e2","time_unix_nano":7000,"attributes":{"k":"v","n":1}}]' } });
    expect(legacy.events).toEqual([{ name: 'e2', timeUnixNano: 7000n, attributes: [{ key: 'k', value: 'v' }, { key: 'n', value: 1 }], droppedAttributesCount: 0 }]);
    expect(attr(legacy, 'events')).toBeUndefined();
  });
  it('D14 span links from meta', () => {
    const s = one({ meta: { '_dd.span_links': '[{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","attributes":{"k":"v"},"flags":1,"tracestate":"dd=s:1"},{"trace_id":"bad"}]' } });
    expect(s.links).toEqual([{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: 'dd=s:1', flags: 1, attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 0 }]);
  });
});

describe('Datadog encode rules', () => {
  const rt = (s = makeSpan()) => decodeDatadogV04(encodeDatadogV04([s]).body).spans[0]!;
  it('E1 one chunk per trace', () => {
    const a = makeSpan();
    const b = makeSpan({ traceId: '1'.repeat(32) });
    expect(encodeDatadogV04([a, b, { ...a, spanId: '00000000000000aa' }]).traceCount).toBe(2);
  });
  it('E2 128-bit trace ids survive through _dd.p.tid', () => {
    expect(rt().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(rt(makeSpan({ traceId: '0000000000000000abcdefabcdefabcd' })).traceId).toBe('0000000000000000abcdefabcdefabcd');
  });
  it('E3 resource attributes', () => {
    const s = rt(makeSpan({ resourceAttrs: [{ key: 'deployment.environment', value: 'prod' }, { key: 'host.name', value: 'h' }] }));
    expect(s.resource.attributes).toEqual([{ key: 'service.name', value: 'svc' }, { key: 'deployment.environment', value: 'prod' }]);
    expect(attr(s, 'host.name')).toBe('h');
  });
  it('E4 name, resource, type', () => {
    const s = rt(makeSpan({ name: 'pg.query', attributes: [{ key: 'resource.name', value: 'SELECT 1' }, { key: 'span.type', value: 'sql' }] }));
    expect([s.name, attr(s, 'resource.name'), attr(s, 'span.type')]).toEqual(['pg.query', 'SELECT 1', 'sql']);
  });
  it('E5 E6 attribute types', () => {
    const s = rt(makeSpan({ attributes: [{ key: 's', value: 'x' }, { key: 'b', value: true }, { key: 'i', value: 42n }, { key: 'd', value: 0.5 }, { key: 'a', value: [1n] }] }));
    expect(s.attributes).toEqual([{ key: 's', value: 'x' }, { key: 'b', value: 'true' }, { key: 'a', value: '[1]' }, { key: 'i', value: 42 }, { key: 'd', value: 0.5 }]);
  });
  it('E7 E8 kind and error', () => {
    const s = rt(makeSpan({ kind: 4, status: { code: 2, message: 'bad' } }));
    expect([s.kind, s.status]).toEqual([4, { code: 2, message: 'bad' }]);
    expect(attr(s, 'error.message')).toBe('bad');
  });
  it('E9 events and links', () => {
    const s = rt(makeSpan({
      events: [{ timeUnixNano: 1_700_000_000_000_000_000n, name: 'ev', attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 0 }],
      links: [{ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceState: 'a=b', attributes: [], droppedAttributesCount: 0, flags: 1 }],
    }));
    expect(s.events).toEqual([{ timeUnixNano: 1_700_000_000_000_000_000n, name: 'ev', attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 0 }]);
    expect(s.links).toEqual([{ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceState: 'a=b', attributes: [], droppedAttributesCount: 0, flags: 1 }]);
  });
  it('E10 kept priority; v0.5 encodes the same', () => {
    const s = makeSpan({ attributes: [{ key: 'n', value: 1.5 }] });
    const body = encodeDatadogV04([s]).body;
    expect(decodeDatadogV04(body).droppedTraces).toBe(0);
    expect(decodeDatadogV05(encodeDatadogV05([s]).body).spans).toEqual(decodeDatadogV04(body).spans);
  });
});
