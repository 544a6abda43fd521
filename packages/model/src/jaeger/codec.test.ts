import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { DecodeError } from '../protobuf/decode-error.js';
import { decodeJaegerBatch, decodeJaegerEmitBatch } from './decode.js';
import { encodeJaegerBatches, encodeJaegerEmitBatches } from './encode.js';
import { makeSpan, plain } from '../test-support/spans.js';

const rich = () => {
  const root = makeSpan({ resourceAttrs: [{ key: 'host.name', value: 'h1' }, { key: 'process.pid', value: 42n }], attributes: [{ key: 'http.status_code', value: 200n }, { key: 'ok', value: true }] });
  const child = makeSpan({
    spanId: '00000000000000c1', parentSpanId: root.spanId, name: 'child', kind: 3, resource: root.resource,
    events: [{ timeUnixNano: root.startTimeUnixNano + 5000n, name: 'log', attributes: [{ key: 'level', value: 'warn' }], droppedAttributesCount: 0 }],
    status: { code: 2, message: 'failed' },
  });
  return [root, child];
};

describe('Jaeger round trips', () => {
  for (const p of ['binary', 'compact'] as const) {
    it(`${p}: Batch and emitBatch keep what Jaeger can carry`, () => {
      const spans = rich();
      expect(decodeJaegerBatch(encodeJaegerBatches(spans, p)[0]!, p).map(plain)).toEqual(spans.map(plain));
      expect(decodeJaegerEmitBatch(encodeJaegerEmitBatches(spans, p)[0]!, p).map(plain)).toEqual(spans.map(plain));
    });
  }
  it('binary Batch is read by thriftrw (the real jaeger-client codec) and back', () => {
    const require = createRequire(import.meta.url);
    const { Thrift } = require('thriftrw') as { Thrift: new (o: object) => { Batch: { rw: { readFrom(b: Buffer, o: number): { err: unknown; value: { process: { serviceName: string }; spans: { operationName: string; tags: { key: string }[] }[] } }; toBuffer(v: unknown): { value: Buffer } } } } };
    const thrift = new Thrift({ entryPoint: require.resolve('jaeger-client/dist/src/jaeger-idl/thrift/jaeger.thrift'), allowFilesystemAccess: true, allowOptionalArguments: true });
    const bytes = Buffer.from(encodeJaegerBatches(rich())[0]!);
    const res = thrift.Batch.rw.readFrom(bytes, 0);
    expect(res.err).toBeNull();
    expect(res.value.process.serviceName).toBe('svc');
    expect(res.value.spans.map((s) => s.operationName)).toEqual(['op', 'child']);
    const again = thrift.Batch.rw.toBuffer(res.value).value;
    expect(decodeJaegerBatch(again).map(plain)).toEqual(rich().map(plain));
  });
});

const onlyDecodeErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
};

describe('Jaeger fuzz', () => {
  it('any bytes, and mutated good messages, decode or throw DecodeError', () => {
    const seeds = [
      ...(['binary', 'compact'] as const).map((p) => ({ p, b: encodeJaegerBatches(rich(), p)[0]!, msg: false })),
      ...(['binary', 'compact'] as const).map((p) => ({ p, b: encodeJaegerEmitBatches(rich(), p)[0]!, msg: true })),
    ];
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      for (const p of ['binary', 'compact'] as const) {
        onlyDecodeErrors(() => decodeJaegerBatch(b, p));
        onlyDecodeErrors(() => decodeJaegerEmitBatch(b, p));
      }
    }), { numRuns: 800 });
    fc.assert(fc.property(fc.nat(3), fc.nat(10_000), fc.nat(255), fc.nat(10_000), (k, i, v, cut) => {
      const seed = seeds[k]!;
      const b = seed.b.slice(0, seed.b.length - (cut % 8));
      b[i % b.length] = v;
      onlyDecodeErrors(() => (seed.msg ? decodeJaegerEmitBatch(b, seed.p) : decodeJaegerBatch(b, seed.p)));
    }), { numRuns: 1500 });
  });
});
