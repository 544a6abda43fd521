import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '@msgpack/msgpack';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeDatadogV04, decodeDatadogV05, encodeDatadogV04, encodeDatadogV05 } from './index.js';
import { makeSpan, plain } from '../test-support/spans.js';

const rich = () => {
  const root = makeSpan({ kind: 2, attributes: [{ key: 'http.method', value: 'GET' }, { key: 'http.status_code', value: 200 }, { key: 'resource.name', value: 'GET /a' }] });
  const child = makeSpan({ spanId: '00000000000000c1', parentSpanId: root.spanId, name: 'pg.query', kind: 3, resource: root.resource, scope: root.scope, status: { code: 2, message: 'x' }, attributes: [{ key: 'error.message', value: 'x' }] });
  return [root, child];
};

describe('Datadog round trips', () => {
  it('v0.4 and v0.5 keep what Datadog carries, exact to the nanosecond', () => {
    const spans = rich();
    expect(decodeDatadogV04(encodeDatadogV04(spans).body).spans.map(plain)).toEqual(spans.map(plain));
    expect(decodeDatadogV05(encodeDatadogV05(spans).body).spans.map(plain)).toEqual(spans.map(plain));
  });
  it('the reference msgpack decoder reads our payload', () => {
    const [trace] = decode(encodeDatadogV04(rich()).body, { useBigInt64: true }) as Record<string, unknown>[][];
    expect(trace![1]).toMatchObject({ service: 'svc', name: 'pg.query', span_id: 0xc1n, error: 1, meta: { 'span.kind': 'client' } });
  });
});

const onlyDecodeErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
};

describe('Datadog fuzz', () => {
  it('any bytes and mutated payloads decode or throw DecodeError', () => {
    const seeds = [encodeDatadogV04(rich()).body, encodeDatadogV05(rich()).body];
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      onlyDecodeErrors(() => decodeDatadogV04(b));
      onlyDecodeErrors(() => decodeDatadogV05(b));
    }), { numRuns: 1000 });
    fc.assert(fc.property(fc.nat(1), fc.nat(100_000), fc.nat(255), fc.nat(6), (k, i, v, cut) => {
      const b = seeds[k]!.slice(0, seeds[k]!.length - cut);
      b[i % b.length] = v;
      onlyDecodeErrors(() => (k === 0 ? decodeDatadogV04(b) : decodeDatadogV05(b)));
    }), { numRuns: 1500 });
  });
});
