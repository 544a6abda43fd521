import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeJaegerJson } from './json.js';

const trace = {
  traceID: '0af7651916cd43dd8448eb211c80319c',
  spans: [
    {
      traceID: '0af7651916cd43dd8448eb211c80319c', spanID: 'b7ad6b7169203331', operationName: 'GET /', references: [], startTime: 1_700_000_000_000_000,
      duration: 1500, processID: 'p1', flags: 1,
      tags: [{ key: 'span.kind', type: 'string', value: 'server' }, { key: 'http.status_code', type: 'int64', value: 200 }, { key: 'big', type: 'int64', value: '9007199254740993' }],
      logs: [{ timestamp: 1_700_000_000_000_100, fields: [{ key: 'event', type: 'string', value: 'cache.miss' }, { key: 'ratio', type: 'float64', value: 0.5 }] }],
    },
    {
      traceID: '0af7651916cd43dd8448eb211c80319c', spanID: '00000000000000c1', operationName: 'db', processID: 'p1', startTime: 1_700_000_000_000_200, duration: 10,
      references: [{ refType: 'CHILD_OF', traceID: '0af7651916cd43dd8448eb211c80319c', spanID: 'b7ad6b7169203331' }],
      tags: [{ key: 'error', type: 'bool', value: true }, { key: 'raw', type: 'binary', value: 'AQI=' }],
    },
  ],
  processes: { p1: { serviceName: 'api', tags: [{ key: 'hostname', type: 'string', value: 'h1' }] } },
};

describe('Jaeger JSON rules', () => {
  it('JS1 accepts {data}, a bare trace and an array', () => {
    expect(decodeJaegerJson({ data: [trace] })).toHaveLength(2);
    expect(decodeJaegerJson(JSON.stringify(trace))).toHaveLength(2);
    expect(decodeJaegerJson(new TextEncoder().encode(JSON.stringify([trace, trace])))).toHaveLength(4);
    expect(() => decodeJaegerJson('{"x":1}')).toThrow(/must be \{data: \[trace\]\}/);
    expect(() => decodeJaegerJson('{')).toThrow(/invalid JSON/);
  });
  it('JS2 ids and references', () => {
    const [root, child] = decodeJaegerJson({ data: [trace] });
    expect([root!.parentSpanId, child!.parentSpanId, child!.links]).toEqual(['', 'b7ad6b7169203331', []]);
    expect(() => decodeJaegerJson({ data: [{ ...trace, spans: [{ ...trace.spans[0], spanID: 'xyz' }] }] })).toThrow(/data\[0\]\.spans\[0\]\.spanID: must be 1 to 16 hex digits/);
  });
  it('JS3 processes to shared resources', () => {
    const [root, child] = decodeJaegerJson({ data: [trace] });
    expect(root!.resource.attributes).toEqual([{ key: 'service.name', value: 'api' }, { key: 'hostname', value: 'h1' }]);
    expect(root!.resource).toBe(child!.resource);
    expect(() => decodeJaegerJson({ data: [{ ...trace, spans: [{ ...trace.spans[0], processID: 'p9' }] }] })).toThrow(/processID: refers to process "p9"/);
  });
  it('JS4 typed tags', () => {
    const [root, child] = decodeJaegerJson({ data: [trace] });
    expect(root!.kind).toBe(2);
    expect(root!.attributes).toEqual([{ key: 'http.status_code', value: 200n }, { key: 'big', value: 9007199254740993n }]);
    expect(child!.status.code).toBe(2);
    expect(child!.attributes).toEqual([{ key: 'raw', value: new Uint8Array([1, 2]) }]);
    expect(() => decodeJaegerJson({ data: [{ ...trace, spans: [{ ...trace.spans[0], tags: [{ key: 'x', type: 'int64', value: 1.5 }] }] }] })).toThrow(/tags\[0\]\.value: must be an integer/);
  });
  it('JS5 logs and times', () => {
    const [root] = decodeJaegerJson({ data: [trace] });
    expect([root!.startTimeUnixNano, root!.endTimeUnixNano]).toEqual([1_700_000_000_000_000_000n, 1_700_000_000_001_500_000n]);
    expect(root!.events).toEqual([{ timeUnixNano: 1_700_000_000_000_100_000n, name: 'cache.miss', attributes: [{ key: 'ratio', value: 0.5 }], droppedAttributesCount: 0 }]);
  });
  it('JS6 onBadSpan skips the spans that fail and keeps the rest', () => {
    const errors: DecodeError[] = [];
    const bad = { data: [{ ...trace, spans: [{ ...trace.spans[0], spanID: 'xyz' }, trace.spans[1], { ...trace.spans[1], startTime: 'soon' }] }] };
    const spans = decodeJaegerJson(bad, { onBadSpan: (e) => errors.push(e) });
    expect(spans.map((s) => s.spanId)).toEqual(['00000000000000c1']);
    expect(errors.map((e) => e.path)).toEqual(['data[0].spans[0].spanID', 'data[0].spans[2].startTime']);
    expect(() => decodeJaegerJson(bad)).toThrow(/spans\[0\]\.spanID/);
  });
  it('fuzz: any JSON decodes or throws DecodeError', () => {
    const run = (v: unknown) => {
      try {
        decodeJaegerJson(v);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    };
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      run(v);
      run({ data: [v] });
      run({ data: [{ ...trace, spans: [v] }] });
    }), { numRuns: 800 });
  });
});
