/** OTLP/JSON: round trips, exact nanoseconds, the spec's alternative spellings, and path-naming errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeOtlpJson, encodeExportResponseJson, encodeOtlpJson } from './json.js';
import { quoteLongIntegers } from './json-decode.js';
import { decodeOtlpProto } from './proto-decode.js';
import { encodeOtlpProto } from './proto-encode.js';
import { spansArb } from './test-support/arbitrary.js';
import { makeRealisticSpans } from './test-support/realistic.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

const request = (span: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: TRACE, spanId: SPAN, ...span }] }], ...extra }] });

describe('OTLP/JSON codec', () => {
  it('round-trips fuzzed spans through JSON text, and agrees with the protobuf codec', () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const text = JSON.stringify(encodeOtlpJson(spans));
        const out = decodeOtlpJson(text);
        expect(out.rejected).toBe(0);
        expect(out.spans).toEqual(spans);
        expect(decodeOtlpProto(encodeOtlpProto(out.spans)).spans).toEqual(spans);
      }),
      { numRuns: 100 },
    );
  });

  it('decodes parsed objects and UTF-8 bytes as well as text', () => {
    const spans = makeRealisticSpans(50, 4);
    const obj = encodeOtlpJson(spans);
    const fromObj = decodeOtlpJson(JSON.parse(JSON.stringify(obj)));
    expect(decodeOtlpJson(new TextEncoder().encode(JSON.stringify(obj))).spans).toEqual(fromObj.spans);
    expect(fromObj.spans.length).toBe(50);
  });

  it('keeps nanoseconds exact, as strings and as 19-digit number literals', () => {
    // number literals written as text: a JS number would already have lost the digits
    const text = request({ startTimeUnixNano: 'START', endTimeUnixNano: '18446744073709551615', events: [{ timeUnixNano: 'EVENT' }] })
      .replace('"START"', '1700000000123456789')
      .replace('"EVENT"', '9007199254740993');
    const [span] = decodeOtlpJson(text).spans;
    expect(span!.startTimeUnixNano).toBe(1700000000123456789n);
    expect(span!.endTimeUnixNano).toBe(18446744073709551615n);
    expect(span!.events[0]!.timeUnixNano).toBe(9007199254740993n);
    const json = encodeOtlpJson([span!]);
    expect(json.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.startTimeUnixNano).toBe('1700000000123456789');
    expect(quoteLongIntegers('{"a":"x\\"1234567890123456789","b":-1234567890123456789,"c":1.2345678901234567e3,"d":-0.0000010000000000000002}')).toBe(
      '{"a":"x\\"1234567890123456789","b":"-1234567890123456789","c":1.2345678901234567e3,"d":-0.0000010000000000000002}',
    );
  });

  it('accepts snake_case keys, enum names, int64 as numbers, upper-case hex and special doubles', () => {
    const text = JSON.stringify({
      resource_spans: [{ scope_spans: [{ spans: [{
        trace_id: TRACE.toUpperCase(), span_id: SPAN, parent_span_id: '0000000000000000', kind: 'SPAN_KIND_CLIENT',
        start_time_unix_nano: 5, status: { code: 'STATUS_CODE_ERROR', message: 'boom' }, dropped_attributes_count: '3',
        attributes: [
          { key: 'i', value: { int_value: 42 } },
          { key: 'd', value: { doubleValue: 'NaN' } },
          { key: 'b', value: { bytesValue: '3q2-7w' } },
          { key: 'e', value: {} },
          { key: 'z', value: { doubleValue: '-0' } },
          { key: 'l', value: { kvlistValue: { values: [{ key: 'x', value: { arrayValue: { values: [{ boolValue: false }] } } }] } } },
        ],
      }] }] }],
    });
    const [s] = decodeOtlpJson(text).spans;
    expect(s!.traceId).toBe(TRACE);
    expect(s!.parentSpanId).toBe('');
    expect(s!.kind).toBe(3);
    expect(s!.startTimeUnixNano).toBe(5n);
    expect(s!.status).toEqual({ code: 2, message: 'boom' });
    expect(s!.droppedAttributesCount).toBe(3);
    expect(s!.attributes.map((a) => a.value)).toEqual([42n, NaN, new Uint8Array([0xde, 0xad, 0xbe, 0xef]), null, -0, { kvlist: [{ key: 'x', value: [false] }] }]);
    const attrs = encodeOtlpJson([s!]).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes;
    expect(attrs[1]!.value).toEqual({ doubleValue: 'NaN' });
    expect(Object.is((decodeOtlpJson(JSON.stringify(encodeOtlpJson([s!]))).spans[0]!.attributes[4]!.value), -0)).toBe(true);
  });

  it('reads the pre-1.0 instrumentationLibrarySpans spelling', () => {
    const text = JSON.stringify({ resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [{ traceId: TRACE, spanId: SPAN }] }] }] });
    expect(decodeOtlpJson(text).spans[0]!.scope.name).toBe('old');
  });

  it('rejects spans with empty or zero ids and counts them', () => {
    const text = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN }, { traceId: '0'.repeat(32), spanId: SPAN }, { traceId: TRACE }] }] }],
    });
    const out = decodeOtlpJson(text);
    expect(out.spans.length).toBe(1);
    expect(out.rejected).toBe(2);
    expect(out.message).toBe('rejected 2 spans with invalid ids: resourceSpans[0].scopeSpans[0].spans[1]: traceId is empty or all zero (and 1 more)');
  });

  it('names the JSON path of malformed values', () => {
    const bad = (span: Record<string, unknown>) => () => decodeOtlpJson(request(span));
    expect(bad({ traceId: 'abc' })).toThrowError('resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex digits, got "abc"');
    expect(bad({ spanId: 'zzzzzzzzzzzzzzzz' })).toThrowError(/spans\[0\]\.spanId: expected 16 hex digits/);
    expect(bad({ startTimeUnixNano: '12.5' })).toThrowError(/spans\[0\]\.startTimeUnixNano: expected a uint64 as a decimal string or integer, got "12.5"/);
    expect(bad({ endTimeUnixNano: -1 })).toThrowError(/endTimeUnixNano: expected a uint64/);
    expect(bad({ kind: 'SERVER' })).toThrowError(/spans\[0\]\.kind: expected an enum number or one of SPAN_KIND_UNSPECIFIED/);
    expect(bad({ name: 7 })).toThrowError(/spans\[0\]\.name: expected a string, got number 7/);
    expect(bad({ attributes: {} })).toThrowError(/spans\[0\]\.attributes: expected an array/);
    expect(bad({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] })).toThrowError(/attributes\[0\]\.value\.intValue: expected an int64/);
    expect(bad({ attributes: [{ key: 'k', value: { bytesValue: '***' } }] })).toThrowError(/attributes\[0\]\.value\.bytesValue: expected base64/);
    expect(bad({ events: [{ timeUnixNano: 'soon' }] })).toThrowError(/spans\[0\]\.events\[0\]\.timeUnixNano/);
    expect(bad({ links: [{ traceId: 'x' }] })).toThrowError(/spans\[0\]\.links\[0\]\.traceId: expected 32 hex digits/);
    expect(() => decodeOtlpJson('{"resourceSpans": [')).toThrowError(/^invalid JSON/);
    expect(() => decodeOtlpJson('[]')).toThrowError(DecodeError);
    expect(() => decodeOtlpJson({ resourceSpans: [{ scopeSpans: 5 }] })).toThrowError('resourceSpans[0].scopeSpans: expected an array, got number 5');
  });

  it('never throws anything but DecodeError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const input of [v, { resourceSpans: [v] }, { resourceSpans: [{ scopeSpans: [{ spans: [v] }] }] }]) {
          try {
            decodeOtlpJson(input);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('encodes the export response', () => {
    expect(encodeExportResponseJson(0, '')).toEqual({});
    expect(encodeExportResponseJson(2, 'bad ids')).toEqual({ partialSuccess: { rejectedSpans: '2', errorMessage: 'bad ids' } });
  });
});
