/** The CLI's small OTLP encoder, checked against @skein/model's full decoders. */
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, decodeOtlpProto } from '@skein/model';
import type { CliSpan } from '../trace/cli-span.js';
import { encodeCliSpansJson, encodeCliSpansProto } from './otlp-encode.js';

const span: CliSpan = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  parentSpanId: 'a3ce929d0e0e4736',
  traceState: 'vendor=1',
  flags: 1,
  name: 'make test ✓',
  kind: 3,
  startNs: 1_764_216_000_123_456_789n,
  endNs: 1_764_216_001_987_654_321n,
  attributes: [
    ['process.command_args', ['make', 'test']],
    ['process.exit.code', -1n],
    ['big', 9_007_199_254_740_993n],
    ['ratio', 0.25],
    ['ok', false],
    ['s', ''],
  ],
  events: [{ name: 'checkpoint', timeNs: 1_764_216_000_500_000_001n, attributes: [['n', 3n]] }],
  statusCode: 2,
  statusMessage: 'exit code 2',
  service: 'ci',
};

describe('encodeCliSpans', () => {
  for (const [name, decode] of [
    ['protobuf', () => decodeOtlpProto(encodeCliSpansProto([span, { ...span, spanId: '1111111111111111', service: 'other' }], '0.1.0'))],
    ['json', () => decodeOtlpJson(encodeCliSpansJson([span, { ...span, spanId: '1111111111111111', service: 'other' }], '0.1.0'))],
  ] as const) {
    it(`round-trips every field through the model's ${name} decoder`, () => {
      const d = decode();
      expect(d.rejected).toBe(0);
      expect(d.spans).toHaveLength(2);
      const s = d.spans[0]!;
      expect(s).toMatchObject({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        traceState: 'vendor=1',
        name: 'make test ✓',
        kind: 3,
        startTimeUnixNano: span.startNs,
        endTimeUnixNano: span.endNs,
        status: { code: 2, message: 'exit code 2' },
      });
      expect(s.flags & 0xff).toBe(1);
      expect(s.attributes).toEqual([
        { key: 'process.command_args', value: ['make', 'test'] },
        { key: 'process.exit.code', value: -1n },
        { key: 'big', value: 9_007_199_254_740_993n },
        { key: 'ratio', value: 0.25 },
        { key: 'ok', value: false },
        { key: 's', value: '' },
      ]);
      expect(s.events).toEqual([{ name: 'checkpoint', timeUnixNano: 1_764_216_000_500_000_001n, attributes: [{ key: 'n', value: 3n }], droppedAttributesCount: 0 }]);
      expect(s.resource.attributes).toEqual([{ key: 'service.name', value: 'ci' }]);
      expect(s.scope).toMatchObject({ name: 'skein-cli', version: '0.1.0' });
      expect(d.spans[1]!.resource.attributes).toEqual([{ key: 'service.name', value: 'other' }]);
    });
  }
});
