/** fast-check arbitraries for canonical spans with every OTLP field and value type. */

import fc from 'fast-check';
import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent, SpanLink } from '../../span.js';

const hexId = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).filter((b) => b.some((x) => x !== 0)).map((b) => Buffer.from(b).toString('hex'));

export const traceIdArb = hexId(16);
export const spanIdArb = hexId(8);
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const small = fc.nat({ max: 1000 });
const ns = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

const { value: anyValueArb } = fc.letrec<{ value: AnyValue; kv: KeyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    str,
    fc.boolean(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.double(),
    fc.uint8Array({ maxLength: 8 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.record({ kvlist: fc.array(tie('kv'), { maxLength: 3 }) }),
  ),
  kv: fc.record({ key: str, value: tie('value') }),
}));
export { anyValueArb };

export const attributesArb = fc.array(fc.record({ key: str, value: anyValueArb }), { maxLength: 4 });

const resourceArb: fc.Arbitrary<Resource> = fc.record({ attributes: attributesArb, droppedAttributesCount: small, schemaUrl: str });
const scopeArb: fc.Arbitrary<Scope> = fc.record({ name: str, version: str, attributes: attributesArb, droppedAttributesCount: small, schemaUrl: str });
const eventArb: fc.Arbitrary<SpanEvent> = fc.record({ timeUnixNano: ns, name: str, attributes: attributesArb, droppedAttributesCount: small });
const linkArb: fc.Arbitrary<SpanLink> = fc.record({ traceId: traceIdArb, spanId: spanIdArb, traceState: str, attributes: attributesArb, droppedAttributesCount: small, flags: u32 });

const spanBody = fc.record({
  traceId: traceIdArb,
  spanId: spanIdArb,
  parentSpanId: fc.oneof(fc.constant(''), spanIdArb),
  traceState: str,
  flags: u32,
  name: str,
  kind: fc.integer({ min: 0, max: 5 }) as fc.Arbitrary<Span['kind']>,
  startTimeUnixNano: ns,
  endTimeUnixNano: ns,
  attributes: attributesArb,
  droppedAttributesCount: small,
  events: fc.array(eventArb, { maxLength: 2 }),
  droppedEventsCount: small,
  links: fc.array(linkArb, { maxLength: 2 }),
  droppedLinksCount: small,
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }) as fc.Arbitrary<Span['status']['code']>, message: str }),
});

/**
 * Spans sharing a few Resource and Scope objects, in an order the encoders keep: spans are
 * grouped by resource, then scope, as a decoded request would hold them.
 */
export const spansArb: fc.Arbitrary<Span[]> = fc
  .array(fc.tuple(resourceArb, fc.array(fc.tuple(scopeArb, fc.array(spanBody, { maxLength: 3 })), { minLength: 1, maxLength: 2 })), { maxLength: 3 })
  .map((groups) => {
    const spans: Span[] = [];
    for (const [resource, scopes] of groups) {
      for (const [scope, bodies] of scopes) for (const b of bodies) spans.push({ ...b, resource, scope });
    }
    return spans;
  });
