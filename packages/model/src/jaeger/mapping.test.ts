import { describe, expect, it } from 'vitest';
import type { KeyValue, Span } from '../span.js';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeJaegerBatch, decodeJaegerEmitBatch } from './decode.js';
import { encodeJaegerBatches, encodeJaegerEmitBatches } from './encode.js';
import { BinaryWriter, CompactWriter, type ThriftWriter } from './thrift-writer.js';
import { TType } from './thrift-reader.js';
import { makeSpan } from '../test-support/spans.js';

/** Writes a Batch by hand, to test decoding of what our encoder never produces. */
function handBatch(w: ThriftWriter, span: (w: ThriftWriter) => void, processFirst = true): Uint8Array {
  const process = () => {
    w.fieldBegin(TType.STRUCT, 1);
    w.structBegin();
    w.stringField(1, 'hand');
    w.stop();
    w.structEnd();
  };
  w.structBegin();
  if (processFirst) process();
  w.fieldBegin(TType.LIST, 2);
  w.listBegin(TType.STRUCT, 1);
  w.structBegin();
  span(w);
  w.stop();
  w.structEnd();
  if (!processFirst) process();
  w.stop();
  w.structEnd();
  return w.finish();
}
const ids = (w: ThriftWriter, lo = 5n, hi = 0n, id = 7n) => {
  w.i64Field(1, lo);
  w.i64Field(2, hi);
  w.i64Field(3, id);
};
const both = (fn: (w: ThriftWriter) => void) => {
  const a = decodeJaegerBatch(handBatch(new BinaryWriter(), fn), 'binary');
  const b = decodeJaegerBatch(handBatch(new CompactWriter(), fn), 'compact');
  expect(b).toEqual(a);
  return a[0]!;
};
const roundTrip = (s: Span) => decodeJaegerBatch(encodeJaegerBatches([s])[0]!)[0]!;
const attr = (s: { attributes: KeyValue[] }, k: string) => s.attributes.find((a) => a.key === k)?.value;

describe('Jaeger transport rules', () => {
  it('T1 bare Batch (binary) and T2/T3 emitBatch over compact and binary', () => {
    const s = makeSpan();
    expect(roundTrip(s).spanId).toBe(s.spanId);
    for (const p of ['compact', 'binary'] as const) expect(decodeJaegerEmitBatch(encodeJaegerEmitBatches([s], p)[0]!, p)[0]!.name).toBe('op');
    expect(encodeJaegerEmitBatches([s], 'compact')[0]![0]).toBe(0x82);
  });
  it('T3 accepts the old non-strict binary message header', () => {
    const strict = encodeJaegerEmitBatches([makeSpan()], 'binary')[0]!;
    const nameLen = new DataView(strict.buffer).getInt32(4);
    const name = strict.subarray(4, 8 + nameLen);
    const rest = strict.subarray(8 + nameLen);
    const old = Buffer.concat([name, Buffer.from([4]), rest]);
    expect(decodeJaegerEmitBatch(old, 'binary')[0]!.name).toBe('op');
  });
  it('T4 skips unknown fields of every type', () => {
    const s = both((w) => {
      ids(w);
      w.fieldBegin(TType.LIST, 40);
      w.listBegin(TType.STRING, 2);
      w.string('a');
      w.string('b');
      w.boolField(41, true);
      w.fieldBegin(TType.STRUCT, 42);
      w.structBegin();
      w.i32Field(1, 9);
      w.stop();
      w.structEnd();
      w.stringField(5, 'named');
    });
    expect(s.name).toBe('named');
  });
  it('T5 clear errors for mistyped, oversized, truncated and foreign input', () => {
    expect(() => decodeJaegerBatch(handBatch(new BinaryWriter(), (w) => { ids(w); w.i32Field(5, 3); }))).toThrow(/batch\.spans\[0\]: operationName has thrift type 8, expected 11/);
    const good = encodeJaegerBatches([makeSpan()])[0]!;
    expect(() => decodeJaegerBatch(good.subarray(0, good.length - 4))).toThrow(DecodeError);
    const huge = Uint8Array.from([0x0f, 0x00, 0x02, 0x0c, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => decodeJaegerBatch(huge)).toThrow(/cannot fit/);
    expect(() => decodeJaegerBatch(Uint8Array.from([0]))).toThrow(/no process/);
    const other = new BinaryWriter();
    other.messageBegin('emitZipkinBatch', 4, 0);
    expect(() => decodeJaegerEmitBatch(other.finish(), 'binary')).toThrow(/unexpected thrift method "emitZipkinBatch"/);
    expect(() => decodeJaegerEmitBatch(Uint8Array.from([1, 2, 3]), 'compact')).toThrow(/protocol id 0x82/);
  });
});

describe('Jaeger decode rules', () => {
  it('J1 trace ids from signed halves, 64-bit padded', () => {
    expect(both((w) => ids(w, -1n, 0n)).traceId).toBe('0000000000000000ffffffffffffffff');
    expect(both((w) => ids(w, 1n, -2n)).traceId).toBe('fffffffffffffffe0000000000000001');
    expect(() => decodeJaegerBatch(handBatch(new BinaryWriter(), (w) => ids(w, 0n, 0n)))).toThrow(/traceId is zero/);
  });
  it('J2 span and parent ids', () => {
    const s = both((w) => { ids(w, 5n, 0n, -5n); w.i64Field(4, 0x1234n); });
    expect([s.spanId, s.parentSpanId]).toEqual(['fffffffffffffffb', '0000000000001234']);
    expect(both((w) => ids(w)).parentSpanId).toBe('');
    expect(() => decodeJaegerBatch(handBatch(new BinaryWriter(), (w) => ids(w, 1n, 0n, 0n)))).toThrow(/spanId is zero/);
  });
  it('J3 references: CHILD_OF parent, others links', () => {
    const s = both((w) => {
      ids(w);
      w.fieldBegin(TType.LIST, 6);
      w.listBegin(TType.STRUCT, 2);
      for (const [type, span] of [[0, 9n], [1, 11n]] as const) {
        w.structBegin(); w.i32Field(1, type); w.i64Field(2, 5n); w.i64Field(3, 0n); w.i64Field(4, span); w.stop(); w.structEnd();
      }
    });
    expect(s.parentSpanId).toBe('0000000000000009');
    expect(s.links).toEqual([{ traceId: s.traceId, spanId: '000000000000000b', traceState: '', flags: 0, droppedAttributesCount: 0, attributes: [{ key: 'opentracing.ref_type', value: 'follows_from' }] }]);
  });
  it('J4 J5 J6 name, times and flags', () => {
    const s = both((w) => { ids(w); w.stringField(5, 'GET'); w.i32Field(7, 3); w.i64Field(8, 1_700_000_000_000_001n); w.i64Field(9, 20n); });
    expect([s.name, s.flags, s.startTimeUnixNano, s.endTimeUnixNano]).toEqual(['GET', 3, 1_700_000_000_000_001_000n, 1_700_000_000_000_021_000n]);
  });
  it('J7 typed tags stay typed', () => {
    const s = roundTrip(makeSpan({ attributes: [
      { key: 's', value: 'x' }, { key: 'd', value: 2.5 }, { key: 'b', value: false }, { key: 'l', value: -(2n ** 62n) }, { key: 'y', value: new Uint8Array([0, 255]) },
    ] }));
    expect(s.attributes).toEqual([
      { key: 's', value: 'x' }, { key: 'd', value: 2.5 }, { key: 'b', value: false }, { key: 'l', value: -(2n ** 62n) }, { key: 'y', value: new Uint8Array([0, 255]) },
    ]);
  });
  it('J8 span.kind', () => {
    for (const k of [1, 2, 3, 4, 5] as const) expect(roundTrip(makeSpan({ kind: k })).kind).toBe(k);
    expect(roundTrip(makeSpan({ kind: 0 })).kind).toBe(1);
    expect(attr(roundTrip(makeSpan({ kind: 3 })), 'span.kind')).toBeUndefined();
  });
  it('J9 J10 error and status tags', () => {
    expect(roundTrip(makeSpan({ status: { code: 2, message: 'boom' } })).status).toEqual({ code: 2, message: 'boom' });
    expect(roundTrip(makeSpan({ status: { code: 1, message: '' } })).status).toEqual({ code: 1, message: '' });
    const s = roundTrip(makeSpan({ attributes: [{ key: 'error', value: 'a string' }] }));
    expect([s.status.code, attr(s, 'error')]).toEqual([0, 'a string']);
    expect(roundTrip(makeSpan({ attributes: [{ key: 'error', value: true }] })).status.code).toBe(2);
  });
  it('J11 scope and tracestate', () => {
    const s = roundTrip(makeSpan({ traceState: 'a=1', scope: { name: 'lib', version: '2', attributes: [], droppedAttributesCount: 0, schemaUrl: '' } }));
    expect([s.scope.name, s.scope.version, s.traceState, s.attributes]).toEqual(['lib', '2', 'a=1', []]);
  });
  it('J12 logs to events', () => {
    const s = roundTrip(makeSpan({ events: [{ timeUnixNano: 5_000n, name: 'retry', attributes: [{ key: 'n', value: 2n }], droppedAttributesCount: 0 }] }));
    expect(s.events).toEqual([{ timeUnixNano: 5_000n, name: 'retry', attributes: [{ key: 'n', value: 2n }], droppedAttributesCount: 0 }]);
  });
  it('J13 process to one shared resource, even when it comes after the spans', () => {
    const s = makeSpan({ resourceAttrs: [{ key: 'host.name', value: 'h' }, { key: 'pid', value: 7n }] });
    const [a, b] = decodeJaegerBatch(encodeJaegerBatches([s, { ...s, spanId: '00000000000000ff' }])[0]!);
    expect(a!.resource).toBe(b!.resource);
    expect(a!.resource.attributes).toEqual(s.resource.attributes);
    const late = decodeJaegerBatch(handBatch(new CompactWriter(), (w) => ids(w), false), 'compact')[0]!;
    expect(late.resource.attributes).toEqual([{ key: 'service.name', value: 'hand' }]);
  });
});

describe('Jaeger encode rules', () => {
  it('E1 one batch per resource', () => {
    const a = makeSpan({ service: 'a' });
    const b = makeSpan({ service: 'b' });
    const batches = encodeJaegerBatches([a, b, { ...a, spanId: '00000000000000aa' }]);
    expect(batches.map((x) => decodeJaegerBatch(x).length)).toEqual([2, 1]);
  });
  it('E2 E3 parent and links as references', () => {
    const s = roundTrip(makeSpan({ parentSpanId: '00000000000000a1', links: [
      { traceId: 'f'.repeat(32), spanId: '00000000000000b2', traceState: 'x=y', attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 0, flags: 0 },
    ] }));
    expect(s.parentSpanId).toBe('00000000000000a1');
    expect(s.links).toEqual([{ traceId: 'f'.repeat(32), spanId: '00000000000000b2', traceState: '', flags: 0, droppedAttributesCount: 0, attributes: [{ key: 'opentracing.ref_type', value: 'follows_from' }] }]);
  });
  it('E4 times truncate to µs', () => {
    const s = roundTrip(makeSpan({ startTimeUnixNano: 1_999n, endTimeUnixNano: 5_999n }));
    expect([s.startTimeUnixNano, s.endTimeUnixNano]).toEqual([1_000n, 5_000n]);
  });
  it('E5 arrays and kvlists become JSON strings', () => {
    const s = roundTrip(makeSpan({ attributes: [{ key: 'a', value: ['x', 1.5] }, { key: 'k', value: { kvlist: [{ key: 'q', value: true }] } }, { key: 'n', value: null }] }));
    expect(s.attributes).toEqual([{ key: 'a', value: '["x",1.5]' }, { key: 'k', value: '{"q":true}' }, { key: 'n', value: '' }]);
  });
  it('E6 to E9 are covered by the J rules above; E10 dropped counts are lost', () => {
    expect(roundTrip(makeSpan({ droppedAttributesCount: 4 })).droppedAttributesCount).toBe(0);
  });
});
