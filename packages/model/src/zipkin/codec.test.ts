import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeZipkinJson, encodeZipkinJson } from './json.js';
import { decodeZipkinV1Json } from './v1.js';
import { decodeZipkinProto, encodeZipkinProto } from './proto.js';
import { makeSpan, plain } from '../test-support/spans.js';

const rich = () => [
  makeSpan({
    service: 'front',
    resourceAttrs: [{ key: 'host.name', value: 'h1' }],
    kind: 3,
    attributes: [{ key: 'http.method', value: 'GET' }, { key: 'peer.service', value: 'back' }, { key: 'network.peer.address', value: '10.0.0.2' }, { key: 'network.peer.port', value: 8080n }],
    events: [{ timeUnixNano: 1_700_000_000_124_000_000n, name: 'retry', attributes: [{ key: 'n', value: '1' }], droppedAttributesCount: 0 }],
    status: { code: 2, message: 'upstream failed' },
    scope: { name: 'lib', version: '1.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
  }),
  makeSpan({ spanId: '00000000000000c1', parentSpanId: 'b7ad6b7169203331', name: 'child', kind: 1, attributes: [{ key: 'network.local.address', value: 'fe80::1:2' }] }),
];

describe('Zipkin round trips', () => {
  it('v2 JSON keeps what Zipkin can carry', () => {
    const spans = rich();
    expect(decodeZipkinJson(encodeZipkinJson(spans)).map(plain)).toEqual(spans.map(plain));
  });
  it('proto3 decodes to the same spans as JSON', () => {
    const spans = rich();
    const viaProto = decodeZipkinProto(encodeZipkinProto(spans));
    expect(viaProto.map(plain)).toEqual(spans.map(plain));
  });
  it('proto3 matches protobufjs on the reference schema', async () => {
    const protobuf = (await import('protobufjs')).default;
    const root = protobuf.parse(`syntax = "proto3"; package zipkin.proto3;
      message Endpoint { string service_name = 1; bytes ipv4 = 2; bytes ipv6 = 3; int32 port = 4; }
      message Annotation { fixed64 timestamp = 1; string value = 2; }
      message Span { bytes trace_id = 1; bytes parent_id = 2; bytes id = 3; int32 kind = 4; string name = 5; fixed64 timestamp = 6;
        uint64 duration = 7; Endpoint local_endpoint = 8; Endpoint remote_endpoint = 9; repeated Annotation annotations = 10;
        map<string, string> tags = 11; bool debug = 12; bool shared = 13; }
      message ListOfSpans { repeated Span spans = 1; }`).root;
    const List = root.lookupType('zipkin.proto3.ListOfSpans');
    const msg = List.decode(encodeZipkinProto(rich())).toJSON() as { spans: Record<string, unknown>[] };
    expect(msg.spans[0]).toMatchObject({ kind: 1, name: 'op', timestamp: '1700000000123456', duration: '100000', localEndpoint: { serviceName: 'front' } });
    expect(msg.spans[0]!.tags).toMatchObject({ error: 'upstream failed', 'http.method': 'GET' });
    const back = decodeZipkinProto(List.encode(List.fromObject(msg)).finish());
    expect(back.map(plain)).toEqual(rich().map(plain));
  });
  it('proto3 rejects wrong id sizes with the span index', () => {
    const bytes = encodeZipkinProto([makeSpan()]);
    expect(() => decodeZipkinProto(bytes.subarray(0, bytes.length - 3))).toThrow(DecodeError);
    const bad = Uint8Array.from([0x0a, 0x04, 0x0a, 0x02, 0x01, 0x02]);
    expect(() => decodeZipkinProto(bad)).toThrow(/spans\[0\]: trace_id must be 8 or 16 bytes, got 2/);
  });
});

const onlyDecodeErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
};

describe('Zipkin fuzz', () => {
  it('proto3: any bytes decode or throw DecodeError', () => {
    const good = encodeZipkinProto(rich());
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyDecodeErrors(() => decodeZipkinProto(b))), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(255), (i, v) => {
        const b = good.slice();
        b[i] = v;
        onlyDecodeErrors(() => decodeZipkinProto(b));
      }),
      { numRuns: 2000 },
    );
  });
  it('JSON v1 and v2: any JSON value decodes or throws DecodeError', () => {
    const arb = fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify([v])));
    fc.assert(fc.property(arb, (text) => {
      onlyDecodeErrors(() => decodeZipkinJson(text));
      onlyDecodeErrors(() => decodeZipkinV1Json(text));
    }), { numRuns: 1000 });
    const span = fc.record({
      traceId: fc.oneof(fc.string(), fc.constant('a1'), fc.integer()), id: fc.oneof(fc.string(), fc.constant('b2')),
      timestamp: fc.oneof(fc.double(), fc.string()), tags: fc.jsonValue(), annotations: fc.jsonValue(), binaryAnnotations: fc.jsonValue(),
      localEndpoint: fc.jsonValue(), kind: fc.jsonValue(),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.array(span, { maxLength: 3 }), (list) => {
      onlyDecodeErrors(() => decodeZipkinJson(JSON.stringify(list)));
      onlyDecodeErrors(() => decodeZipkinV1Json(JSON.stringify(list)));
    }), { numRuns: 1000 });
  });
});
