/** Sends a known trace through the real OpenTelemetry JS SDK and exporters, for end-to-end tests. */
import { context, trace, SpanKind, SpanStatusCode, type Span as ApiSpan } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';

export type OtelProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export function otelExporter(protocol: OtelProtocol, address: string): SpanExporter {
  if (protocol === 'grpc') return new GrpcExporter({ url: `http://${address}` });
  const url = `http://${address}/v1/traces`;
  return protocol === 'http/json' ? new JsonExporter({ url }) : new ProtoExporter({ url });
}

export interface SentTrace {
  traceId: string;
  root: ApiSpan;
  spanIds: { root: string; child: string; grandchild: string };
  /** The spans as the SDK finished them, for exact comparison. */
  finished: ReadableSpan[];
}

/** Nanoseconds since the epoch of an SDK HrTime. */
export const hrToNs = (t: [number, number]): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** Three spans (server -> client -> internal error) with typed attributes, an event and a link. */
export async function sendKnownTrace(exporter: SpanExporter, serviceName = 'checkout'): Promise<SentTrace> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'host.name': 'box-1', 'process.pid': 4242 }),
    spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('skein-test', '1.2.3');
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.method': 'GET', 'http.status_code': 200, ratio: 0.25, cached: true, tags: ['a', 'b'] },
  });
  const rootCtx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'SELECT cart',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'postgresql', 'db.rows': 3 },
      links: [{ context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 }, attributes: { why: 'batch' } }],
    },
    rootCtx,
  );
  child.addEvent('row fetched', { 'row.id': 7 });
  const grandchild = tracer.startSpan('parse', { kind: SpanKind.INTERNAL }, trace.setSpan(rootCtx, child));
  grandchild.setStatus({ code: SpanStatusCode.ERROR, message: 'bad row' });
  grandchild.end();
  child.end();
  root.end();
  await provider.forceFlush();
  const finished = memory.getFinishedSpans();
  await provider.shutdown();
  const ctx = root.spanContext();
  return {
    traceId: ctx.traceId,
    root,
    spanIds: { root: ctx.spanId, child: child.spanContext().spanId, grandchild: grandchild.spanContext().spanId },
    finished,
  };
}
