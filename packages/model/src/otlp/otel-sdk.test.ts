/** Spans made by the real OpenTelemetry JS SDK and serialized by its OTLP serializers decode exactly. */
import { describe, expect, it } from 'vitest';
import { SpanKind as OtelKind, SpanStatusCode, context, trace, type HrTime } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Span } from '../span.js';
import { decodeOtlpProto } from './proto-decode.js';
import { decodeOtlpJson } from './json.js';

const ns = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'kata-agent', 'process.pid': 42, 'host.arch': 'amd64' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('kata', '3.2.0');
  const root = tracer.startSpan('CreateContainer', { kind: OtelKind.SERVER, startTime: [1700000000, 123456789] });
  root.setAttributes({ str: 'x', int: 7, dbl: 1.5, bool: true, arr: ['a', 'b'], nums: [1, 2] });
  root.addEvent('pulled', { image: 'busybox' }, [1700000000, 223456789]);
  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('ExecProcess', { kind: OtelKind.CLIENT, links: [{ context: root.spanContext(), attributes: { why: 'follows' } }] }, ctx);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'exit 1' });
  child.end();
  root.end([1700000001, 999999999]);
  return exporter.getFinishedSpans();
}

function check(decoded: Span[], spans: ReadableSpan[]) {
  expect(decoded.length).toBe(spans.length);
  for (const want of spans) {
    const got = decoded.find((s) => s.spanId === want.spanContext().spanId)!;
    expect(got.traceId).toBe(want.spanContext().traceId);
    expect(got.parentSpanId).toBe(want.parentSpanContext?.spanId ?? '');
    expect(got.name).toBe(want.name);
    expect(got.kind).toBe(want.kind + 1); // the API's enum starts at INTERNAL = 0
    expect(got.startTimeUnixNano).toBe(ns(want.startTime));
    expect(got.endTimeUnixNano).toBe(ns(want.endTime));
    expect(got.status).toEqual({ code: want.status.code, message: want.status.message ?? '' });
    expect(got.scope.name).toBe('kata');
    expect(got.scope.version).toBe('3.2.0');
    expect(got.resource.attributes).toContainEqual({ key: 'service.name', value: 'kata-agent' });
    expect(got.resource.attributes).toContainEqual({ key: 'process.pid', value: 42n });
  }
  const root = decoded.find((s) => s.name === 'CreateContainer')!;
  expect(root.startTimeUnixNano).toBe(1700000000123456789n);
  expect(root.endTimeUnixNano).toBe(1700000001999999999n);
  expect(root.attributes).toEqual([
    { key: 'str', value: 'x' },
    { key: 'int', value: 7n },
    { key: 'dbl', value: 1.5 },
    { key: 'bool', value: true },
    { key: 'arr', value: ['a', 'b'] },
    { key: 'nums', value: [1n, 2n] },
  ]);
  expect(root.events).toEqual([{ timeUnixNano: 1700000000223456789n, name: 'pulled', attributes: [{ key: 'image', value: 'busybox' }], droppedAttributesCount: 0 }]);
  const child = decoded.find((s) => s.name === 'ExecProcess')!;
  expect(child.links[0]!.traceId).toBe(root.traceId);
  expect(child.links[0]!.spanId).toBe(root.spanId);
  expect(child.links[0]!.attributes).toEqual([{ key: 'why', value: 'follows' }]);
  expect(child.status).toEqual({ code: 2, message: 'exit 1' });
  expect(decoded[0]!.resource).toBe(decoded[1]!.resource);
}

describe('OpenTelemetry JS serializers', () => {
  it('protobuf', () => {
    const spans = makeSpans();
    const out = decodeOtlpProto(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(out.rejected).toBe(0);
    check(out.spans, spans);
  });

  it('JSON', () => {
    const spans = makeSpans();
    const out = decodeOtlpJson(JsonTraceSerializer.serializeRequest(spans)!);
    expect(out.rejected).toBe(0);
    check(out.spans, spans);
  });
});
