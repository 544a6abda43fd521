/** The hand OTLP protobuf codec against protobufjs, on fuzzed and realistic messages and hostile bytes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Span } from '../span.js';
import { DecodeError } from '../protobuf/decode-error.js';
import { ProtoWriter } from '../protobuf/writer.js';
import { decodeOtlpProto } from './proto-decode.js';
import { decodeExportResponse, encodeExportResponse, encodeOtlpProto, groupSpans, OtlpSpanEncoder } from './proto-encode.js';
import { spansArb } from './test-support/arbitrary.js';
import { decodeWithReference, encodeWithReference } from './test-support/reference.js';
import { makeRealisticSpans } from './test-support/realistic.js';
import { otlpTypes } from './test-support/otlp-schema.js';

/** The order encoders produce: grouped by resource, then scope. */
const grouped = (spans: Span[]) => [...groupSpans(spans).values()].flatMap((m) => [...m.values()].flat());

describe('OTLP protobuf codec', () => {
  it('decodes what protobufjs encodes (fuzzed)', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const out = decodeOtlpProto(encodeWithReference(spans));
        expect(out.rejected).toBe(0);
        expect(out.spans).toEqual(spans);
      }),
      { numRuns: 100 },
    );
  });

  it('encodes what protobufjs decodes (fuzzed), and round-trips itself', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const buf = encodeOtlpProto(spans);
        expect(decodeWithReference(buf)).toEqual(spans);
        expect(decodeOtlpProto(buf).spans).toEqual(spans);
      }),
      { numRuns: 100 },
    );
  });

  it('encodes spans one at a time exactly as encodeOtlpProto([span]) does (fuzzed)', () => {
    const encoder = new OtlpSpanEncoder();
    fc.assert(
      fc.property(spansArb, (spans) => {
        // Twice over: the second pass takes the Resource and Scope bytes from the cache.
        for (const span of [...spans, ...spans]) expect(encoder.encode(span)).toEqual(encodeOtlpProto([span]));
      }),
      { numRuns: 100 },
    );
    const realistic = makeRealisticSpans(50, 4);
    const cells = realistic.map((s) => encoder.encode(s));
    expect(cells.map((c) => decodeOtlpProto(c).spans[0])).toEqual(realistic);
  });

  it('round-trips realistic batches, sharing Resource and Scope objects', () => {
    const spans = makeRealisticSpans(500, 7);
    const out = decodeOtlpProto(encodeOtlpProto(spans));
    expect(out.spans).toEqual(grouped(spans));
    expect(decodeWithReference(encodeOtlpProto(spans))).toEqual(grouped(spans));
    const a = out.spans.filter((s) => s.resource.attributes[0]!.value === 'cart');
    expect(new Set(a.map((s) => s.resource)).size).toBe(1);
    expect(new Set(a.map((s) => s.scope)).size).toBe(1);
  });

  it('decodes bytes values as plain Uint8Arrays, also from a Buffer', () => {
    const span = { ...makeRealisticSpans(1, 2)[0]!, attributes: [{ key: 'b', value: [Uint8Array.of(1, 2)] }] };
    const [decoded] = decodeOtlpProto(Buffer.from(encodeOtlpProto([span]))).spans;
    const bytes = (decoded!.attributes[0]!.value as Uint8Array[])[0]!;
    expect(bytes.constructor).toBe(Uint8Array);
    expect([...bytes]).toEqual([1, 2]);
  });

  it('keeps every nanosecond', () => {
    const [span] = makeRealisticSpans(1);
    const times = [1n, 2n ** 53n + 1n, 1_700_000_000_123_456_789n, 2n ** 64n - 1n];
    for (const t of times) {
      const s = { ...span!, startTimeUnixNano: t, endTimeUnixNano: t - 1n };
      const got = decodeOtlpProto(encodeOtlpProto([s])).spans[0]!;
      expect(got.startTimeUnixNano).toBe(t);
      expect(got.endTimeUnixNano).toBe(t - 1n);
    }
  });

  it('rejects spans with invalid ids and says why', () => {
    const spans = makeRealisticSpans(4, 3);
    const bad = [
      { ...spans[1]!, traceId: '0'.repeat(32) },
      { ...spans[2]!, spanId: 'abcd' },
    ];
    const out = decodeOtlpProto(encodeWithReference([spans[0]!, ...bad, spans[3]!]));
    expect(out.spans.map((s) => s.spanId)).toEqual([spans[0]!.spanId, spans[3]!.spanId]);
    expect(out.rejected).toBe(2);
    expect(out.message).toBe('rejected 2 spans with invalid ids: resourceSpans[0].scopeSpans[0].spans[1]: traceId is all zero (and 1 more)');
  });

  it('skips unknown fields of every wire type at every level', () => {
    const spans = makeRealisticSpans(3, 5);
    const buf = encodeWithReference(spans);
    const w = new ProtoWriter();
    w.raw(buf);
    // unknown trailing fields on the request itself
    w.uint64(99, 12345n);
    w.fixed64(98, 1n);
    w.string(97, 'x');
    w.fixed32(96, 1);
    w.tag(95, 3);
    w.uint32(1, 1);
    w.tag(95, 4);
    // a ResourceSpans whose span carries unknown fields mid-message
    const rs = w.begin(1);
    const ss = w.begin(2);
    const sp = w.begin(2);
    w.bytes(1, new Uint8Array(16).fill(1));
    w.uint32(200, 7);
    w.bytes(2, new Uint8Array(8).fill(2));
    w.fixed64(201, 9n);
    w.string(5, 'named');
    w.end(sp);
    w.end(ss);
    w.end(rs);
    const out = decodeOtlpProto(w.finish());
    expect(out.spans.length).toBe(4);
    expect(out.spans[3]!.name).toBe('named');
    expect(out.spans[3]!.spanId).toBe('0202020202020202');
  });

  it('takes the last member of a oneof, and unknown fields inside AnyValue', () => {
    const values: Array<(w: ProtoWriter) => void> = [
      (w) => { w.string(1, 'first'); w.int64(3, -7n); }, // last wins: -7
      (w) => { w.string(1, 'kept'); w.uint32(99, 1); }, // unknown field after the string
      (w) => { w.uint32(99, 1); w.string(1, 'also'); },
    ];
    const w = new ProtoWriter();
    const rs = w.begin(1);
    const res = w.begin(1);
    for (const write of values) {
      const kv = w.begin(1);
      w.string(1, 'k');
      const v = w.begin(2);
      write(w);
      w.end(v);
      w.end(kv);
    }
    w.end(res);
    const ss = w.begin(2);
    const sp = w.begin(2);
    w.bytes(1, new Uint8Array(16).fill(1));
    w.bytes(2, new Uint8Array(8).fill(1));
    w.end(sp);
    w.end(ss);
    w.end(rs);
    const [span] = decodeOtlpProto(w.finish()).spans;
    expect(span!.resource.attributes.map((a) => a.value)).toEqual([-7n, 'kept', 'also']);
  });

  it('reads the pre-1.0 instrumentation_library_spans field like scope_spans', () => {
    const w = new ProtoWriter();
    const rs = w.begin(1);
    const ils = w.begin(1000);
    const lib = w.begin(1);
    w.string(1, 'old-lib');
    w.end(lib);
    const sp = w.begin(2);
    w.bytes(1, new Uint8Array(16).fill(3));
    w.bytes(2, new Uint8Array(8).fill(4));
    w.end(sp);
    w.end(ils);
    w.end(rs);
    const [span] = decodeOtlpProto(w.finish()).spans;
    expect(span!.scope.name).toBe('old-lib');
    expect(span!.traceId).toBe('03'.repeat(16));
  });

  it('throws DecodeError naming the field path and offset for truncated input', () => {
    const buf = encodeOtlpProto(makeRealisticSpans(20, 2));
    let thrown = 0;
    for (let cut = 1; cut < buf.length; cut += 7) {
      try {
        decodeOtlpProto(buf.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        const err = e as DecodeError;
        expect(err.message).toMatch(/at byte \d+/);
        // the outermost length prefix that overruns the cut is the one reported
        expect(err.message).toMatch(/^resourceSpans\[\d+\]: (length \d+ exceeds the \d+ bytes left|truncated varint) at byte \d+$/);
        thrown++;
      }
    }
    expect(thrown).toBeGreaterThan(buf.length / 7 - 8);
    const w = new ProtoWriter();
    const rs = w.begin(1);
    const ss = w.begin(2);
    const sp = w.begin(2);
    w.tag(7, 1);
    w.raw(new Uint8Array([1, 2, 3]));
    w.end(sp);
    w.end(ss);
    w.end(rs);
    expect(() => decodeOtlpProto(w.finish())).toThrowError(/^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano: truncated: need 8 bytes, 3 left at byte 7$/);
  });

  it('throws only DecodeError on arbitrary and mutated bytes', () => {
    const good = encodeOtlpProto(makeRealisticSpans(10, 9));
    const check = (bytes: Uint8Array) => {
      try {
        decodeOtlpProto(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 500 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (muts) => {
        const b = good.slice();
        for (const [i, v] of muts) b[i] = v;
        check(b);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses hostile nesting of attribute values', () => {
    let inner = new Uint8Array(0);
    for (let i = 0; i < 200; i++) {
      const w = new ProtoWriter();
      const arr = w.begin(5);
      w.bytes(1, inner);
      w.end(arr);
      inner = w.finish().slice();
    }
    const w = new ProtoWriter();
    const rs = w.begin(1);
    const res = w.begin(1);
    const kv = w.begin(1);
    w.string(1, 'deep');
    w.bytes(2, inner);
    w.end(kv);
    w.end(res);
    w.end(rs);
    expect(() => decodeOtlpProto(w.finish())).toThrowError(/resourceSpans\[0\]\.resource\.attributes\[0\]\.value\.arrayValue\[0\].*nested deeper than 32/);
  });

  it('encodes and decodes the export response', () => {
    const { Response } = otlpTypes();
    expect(encodeExportResponse(0, '').length).toBe(0);
    const buf = encodeExportResponse(3, 'rejected 3 spans');
    const ref = Response.toObject(Response.decode(buf), { longs: String });
    expect(ref).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: 'rejected 3 spans' } });
    expect(decodeExportResponse(buf)).toEqual({ rejected: 3, message: 'rejected 3 spans' });
  });
});
