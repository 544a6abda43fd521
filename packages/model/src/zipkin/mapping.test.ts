import { describe, expect, it } from 'vitest';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeZipkinJson, encodeZipkinJson } from './json.js';
import { decodeZipkinV1Json } from './v1.js';
import { spanToZipkin } from './from-span.js';
import { sharedServerSpanId } from './to-span.js';
import { makeSpan } from '../test-support/spans.js';

const T = '0af7651916cd43dd8448eb211c80319c';
const one = (o: Record<string, unknown>) => decodeZipkinJson(JSON.stringify([{ traceId: T, id: 'b7ad6b7169203331', ...o }]))[0]!;
const attr = (s: { attributes: { key: string; value: unknown }[] }, k: string) => s.attributes.find((a) => a.key === k)?.value;

describe('Zipkin decode rules', () => {
  it('Z1 pads 64-bit trace ids and rejects bad ones', () => {
    expect(one({ traceId: 'ABCDEF0123456789' }).traceId).toBe('0000000000000000abcdef0123456789');
    expect(() => one({ traceId: 'xyz' })).toThrow(/spans\[0\]\.traceId: must be 1 to 32 hex digits/);
    expect(() => one({ traceId: '0'.repeat(32) })).toThrow(DecodeError);
    expect(() => one({ traceId: 'a'.repeat(33) })).toThrow(/traceId/);
  });
  it('Z2 span and parent ids; zero parent is root', () => {
    const s = one({ id: 'abc', parentId: '0000000000000000' });
    expect(s.spanId).toBe('0000000000000abc');
    expect(s.parentSpanId).toBe('');
    expect(one({ parentId: '1234' }).parentSpanId).toBe('0000000000001234');
    expect(() => one({ id: undefined })).toThrow(/spans\[0\]\.id: missing/);
  });
  it('Z3 kinds', () => {
    expect(one({ kind: 'CLIENT' }).kind).toBe(3);
    expect(one({ kind: 'SERVER' }).kind).toBe(2);
    expect(one({ kind: 'PRODUCER' }).kind).toBe(4);
    expect(one({ kind: 'CONSUMER' }).kind).toBe(5);
    expect(one({}).kind).toBe(1);
    expect(() => one({ kind: 'LOCAL' })).toThrow(/kind: must be CLIENT/);
  });
  it('Z4 times in µs; missing timestamp falls back to annotations', () => {
    const s = one({ timestamp: 1_700_000_000_000_001, duration: 25 });
    expect(s.startTimeUnixNano).toBe(1_700_000_000_000_001_000n);
    expect(s.endTimeUnixNano - s.startTimeUnixNano).toBe(25_000n);
    expect(one({ annotations: [{ timestamp: 9, value: 'b' }, { timestamp: 5, value: 'a' }] }).startTimeUnixNano).toBe(5000n);
    expect(() => one({ timestamp: -1 })).toThrow(/timestamp: must be a non-negative/);
  });
  it('Z5 service name to resource', () => {
    expect(one({ localEndpoint: { serviceName: 'api' } }).resource.attributes).toEqual([{ key: 'service.name', value: 'api' }]);
    expect(one({}).resource.attributes).toEqual([]);
  });
  it('Z6 and Z7 endpoints to network attributes', () => {
    const s = one({ localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 80 }, remoteEndpoint: { serviceName: 'db', ipv6: '::1', port: 5432 } });
    expect(attr(s, 'network.local.address')).toBe('10.0.0.1');
    expect(attr(s, 'network.local.port')).toBe(80n);
    expect(attr(s, 'peer.service')).toBe('db');
    expect(attr(s, 'network.peer.address')).toBe('::1');
    expect(attr(s, 'network.peer.port')).toBe(5432n);
  });
  it('Z8 tags to string attributes', () => {
    const s = one({ tags: { 'http.method': 'GET', n: 5 as unknown as string } });
    expect(attr(s, 'http.method')).toBe('GET');
    expect(attr(s, 'n')).toBe('5');
    expect(() => one({ tags: { x: { a: 1 } } })).toThrow(/tags\.x: must be a string/);
  });
  it('Z9 resource-like tags go to the resource', () => {
    const s = one({ localEndpoint: { serviceName: 'a' }, tags: { 'telemetry.sdk.language': 'nodejs', 'service.name': 'a', 'host.name': 'h' } });
    expect(s.resource.attributes).toEqual([
      { key: 'service.name', value: 'a' },
      { key: 'telemetry.sdk.language', value: 'nodejs' },
      { key: 'host.name', value: 'h' },
    ]);
    expect(s.attributes).toEqual([]);
  });
  it('Z10 error tag', () => {
    expect(one({ tags: { error: 'boom' } }).status).toEqual({ code: 2, message: 'boom' });
    expect(one({ tags: { error: 'true' } }).status).toEqual({ code: 2, message: '' });
    expect(attr(one({ tags: { error: 'x' } }), 'error')).toBeUndefined();
  });
  it('Z11 otel status tags', () => {
    expect(one({ tags: { 'otel.status_code': 'OK' } }).status).toEqual({ code: 1, message: '' });
    expect(one({ tags: { 'otel.status_code': 'ERROR', 'otel.status_description': 'bad' } }).status).toEqual({ code: 2, message: 'bad' });
  });
  it('Z12 scope tags', () => {
    const s = one({ tags: { 'otel.library.name': 'lib', 'otel.scope.version': '1.2' } });
    expect([s.scope.name, s.scope.version]).toEqual(['lib', '1.2']);
  });
  it('Z13 dropped counts', () => {
    const s = one({ tags: { 'otel.dropped_attributes_count': '3', 'otel.dropped_events_count': '2', 'otel.dropped_links_count': '1' } });
    expect([s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount]).toEqual([3, 2, 1]);
  });
  it('Z14 annotations to events, with our attribute suffix', () => {
    const s = one({ annotations: [{ timestamp: 7, value: 'retry {"attempt":"2"}' }, { timestamp: 8, value: 'plain {not json}' }] });
    expect(s.events[0]).toEqual({ timeUnixNano: 7000n, name: 'retry', attributes: [{ key: 'attempt', value: '2' }], droppedAttributesCount: 0 });
    expect(s.events[1]!.name).toBe('plain {not json}');
  });
  it('Z15 shared server spans get their own id under the client half', () => {
    const s = one({ kind: 'SERVER', shared: true, parentId: '1111111111111111' });
    expect(s.parentSpanId).toBe('b7ad6b7169203331');
    expect(s.spanId).toBe(sharedServerSpanId('b7ad6b7169203331'));
    expect(s.spanId).not.toBe('b7ad6b7169203331');
    expect(attr(s, 'zipkin.shared')).toBe(true);
    expect(spanToZipkin(s)).toMatchObject({ id: 'b7ad6b7169203331', shared: true });
  });
  it('Z16 flags sampled, no links', () => {
    const s = one({});
    expect([s.flags, s.traceState, s.links]).toEqual([1, '', []]);
  });
  it('Z17 shared resources', () => {
    const spans = decodeZipkinJson(JSON.stringify([
      { traceId: T, id: '1', localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '2', localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '3', localEndpoint: { serviceName: 'b' } },
    ]));
    expect(spans[0]!.resource).toBe(spans[1]!.resource);
    expect(spans[0]!.resource).not.toBe(spans[2]!.resource);
    expect(spans[0]!.scope).toBe(spans[2]!.scope);
  });
  it('rejects non-arrays and bad JSON with a clear message', () => {
    expect(() => decodeZipkinJson('{}')).toThrow(/must be a JSON array of spans/);
    expect(() => decodeZipkinJson('[{"traceId":')).toThrow(/invalid JSON/);
  });
});

describe('Zipkin v1 rules', () => {
  const ep = (serviceName: string) => ({ serviceName, ipv4: '127.0.0.1' });
  const v1 = (o: Record<string, unknown>) => decodeZipkinV1Json(JSON.stringify([{ traceId: T, id: '2222222222222222', name: 'get', ...o }]));
  it('V1 and V2 split a span with both halves into client and shared server', () => {
    const spans = v1({
      parentId: '1111111111111111',
      annotations: [
        { timestamp: 10, value: 'cs', endpoint: ep('front') },
        { timestamp: 20, value: 'sr', endpoint: ep('back') },
        { timestamp: 30, value: 'ss', endpoint: ep('back') },
        { timestamp: 40, value: 'cr', endpoint: ep('front') },
      ],
      binaryAnnotations: [{ key: 'sa', value: true, endpoint: ep('back') }],
    });
    expect(spans.map((s) => [s.kind, s.resource.attributes[0]?.value, s.startTimeUnixNano, s.endTimeUnixNano])).toEqual([
      [3, 'front', 10_000n, 40_000n],
      [2, 'back', 20_000n, 30_000n],
    ]);
    expect(spans[0]!.parentSpanId).toBe('1111111111111111');
    expect(spans[1]!.parentSpanId).toBe('2222222222222222');
    expect(attr(spans[0]!, 'peer.service')).toBe('back');
  });
  it('V2 a server half without span timestamp is shared', () => {
    const [s] = v1({ annotations: [{ timestamp: 20, value: 'sr', endpoint: ep('back') }, { timestamp: 30, value: 'ss', endpoint: ep('back') }] });
    expect(attr(s!, 'zipkin.shared')).toBe(true);
    const [t] = v1({ timestamp: 20, duration: 10, annotations: [{ timestamp: 20, value: 'sr', endpoint: ep('back') }] });
    expect(t!.spanId).toBe('2222222222222222');
  });
  it('V3 producer and consumer', () => {
    expect(v1({ annotations: [{ timestamp: 1, value: 'ms', endpoint: ep('p') }] })[0]!.kind).toBe(4);
    const [c] = v1({ annotations: [{ timestamp: 1, value: 'wr', endpoint: ep('c') }, { timestamp: 5, value: 'mr', endpoint: ep('c') }] });
    expect([c!.kind, c!.endTimeUnixNano]).toEqual([5, 5000n]);
  });
  it('V4 annotations and binary annotations', () => {
    const [s] = v1({
      timestamp: 1,
      annotations: [{ timestamp: 3, value: 'cache miss', endpoint: ep('a') }],
      binaryAnnotations: [{ key: 'http.path', value: '/x', endpoint: ep('a') }, { key: 'n', value: 3, endpoint: ep('a') }],
    });
    expect(s!.events.map((e) => e.name)).toEqual(['cache miss']);
    expect(attr(s!, 'http.path')).toBe('/x');
    expect(attr(s!, 'n')).toBe('3');
  });
  it('V5 span-level timestamp wins', () => {
    const [s] = v1({ timestamp: 100, duration: 7, annotations: [{ timestamp: 10, value: 'cs', endpoint: ep('a') }] });
    expect([s!.startTimeUnixNano, s!.endTimeUnixNano]).toEqual([100_000n, 107_000n]);
  });
  it('V6 local spans take the lc endpoint', () => {
    const [s] = v1({ timestamp: 1, duration: 2, binaryAnnotations: [{ key: 'lc', value: 'worker', endpoint: ep('batch') }] });
    expect([s!.kind, s!.resource.attributes[0]?.value, attr(s!, 'lc')]).toEqual([1, 'batch', 'worker']);
    expect(() => decodeZipkinV1Json('[{"traceId":"1","id":"2","annotations":{}}]')).toThrow(/annotations: must be an array/);
  });
});

describe('Zipkin encode rules', () => {
  it('E1 short trace ids', () => {
    expect(spanToZipkin(makeSpan({ traceId: '0000000000000000abcdef0123456789' })).traceId).toBe('abcdef0123456789');
    expect(spanToZipkin(makeSpan()).traceId).toBe(T);
  });
  it('E2 kinds', () => {
    expect(spanToZipkin(makeSpan({ kind: 1 })).kind).toBeUndefined();
    expect(spanToZipkin(makeSpan({ kind: 4 })).kind).toBe('PRODUCER');
  });
  it('E3 times', () => {
    const z = spanToZipkin(makeSpan({ startTimeUnixNano: 1_000_999n, endTimeUnixNano: 1_001_100n }));
    expect([z.timestamp, z.duration]).toEqual([1000, 1]);
  });
  it('E4 service and resource', () => {
    const z = spanToZipkin(makeSpan({ service: 'api', resourceAttrs: [{ key: 'host.name', value: 'h1' }] }));
    expect(z.localEndpoint).toEqual({ serviceName: 'api' });
    expect(z.tags).toEqual({ 'host.name': 'h1' });
  });
  it('E5 typed attributes become text', () => {
    const z = spanToZipkin(makeSpan({ attributes: [
      { key: 'i', value: 42n }, { key: 'd', value: 1.5 }, { key: 'b', value: true }, { key: 'y', value: new Uint8Array([1, 2]) },
      { key: 'a', value: ['x', 1n] }, { key: 'k', value: { kvlist: [{ key: 'q', value: 'r' }] } },
    ] }));
    expect(z.tags).toEqual({ i: '42', d: '1.5', b: 'true', y: 'AQI=', a: '["x",1]', k: '{"q":"r"}' });
  });
  it('E6 status', () => {
    expect(spanToZipkin(makeSpan({ status: { code: 2, message: 'm' } })).tags).toEqual({ 'otel.status_code': 'ERROR', error: 'm' });
    expect(spanToZipkin(makeSpan({ status: { code: 2, message: '' } })).tags?.error).toBe('true');
    expect(spanToZipkin(makeSpan({ status: { code: 1, message: '' } })).tags).toEqual({ 'otel.status_code': 'OK' });
  });
  it('E7 events', () => {
    const z = spanToZipkin(makeSpan({ events: [{ timeUnixNano: 5_000n, name: 'e', attributes: [{ key: 'k', value: 1n }], droppedAttributesCount: 0 }] }));
    expect(z.annotations).toEqual([{ timestamp: 5, value: 'e {"k":"1"}' }]);
  });
  it('E8 endpoints', () => {
    const z = spanToZipkin(makeSpan({ attributes: [
      { key: 'peer.service', value: 'db' }, { key: 'network.peer.address', value: 'fe80::1' }, { key: 'network.peer.port', value: 5432n },
      { key: 'network.local.address', value: '10.1.1.1' },
    ] }));
    expect(z.remoteEndpoint).toEqual({ serviceName: 'db', ipv6: 'fe80::1', port: 5432 });
    expect(z.localEndpoint).toEqual({ serviceName: 'svc', ipv4: '10.1.1.1' });
    expect(z.tags).toBeUndefined();
  });
  it('E9 and E10 shared spans; links are dropped', () => {
    const z = spanToZipkin(makeSpan({ parentSpanId: '00000000000000aa', attributes: [{ key: 'zipkin.shared', value: true }],
      links: [{ traceId: T, spanId: '1111111111111111', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 }] }));
    expect(z).toMatchObject({ id: '00000000000000aa', shared: true });
    expect(z.parentId).toBeUndefined();
    expect(JSON.stringify(z)).not.toContain('1111111111111111');
    expect(encodeZipkinJson([makeSpan()])).toMatch(/^\[\{"traceId"/);
  });
});
