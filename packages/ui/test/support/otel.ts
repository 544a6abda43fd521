/** Sends trees of spans with planned times through the real OpenTelemetry SDK and OTLP/proto exporter. */
import { context, trace, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

export interface PlannedSpan {
  service: string;
  name: string;
  /** ms after the trace's base time. */
  start: number;
  end: number;
  kind?: SpanKind;
  attributes?: Attributes;
  events?: { name: string; at: number; attributes?: Attributes }[];
  error?: string;
  children?: PlannedSpan[];
}

export interface SentTrace {
  traceId: string;
  /** Span ids by span name (the last one wins when names repeat). */
  ids: Record<string, string>;
}

const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/** Sends one trace whose root starts at baseMs; each service gets its own provider (resource). */
export async function sendTrace(otlpHttp: string, root: PlannedSpan, baseMs = Date.now() - 5000): Promise<SentTrace> {
  const providers = new Map<string, BasicTracerProvider>();
  const provider = (service: string) => {
    let p = providers.get(service);
    if (!p) {
      p = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'host.name': `${service}-host` }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://${otlpHttp}/v1/traces` }))],
      });
      providers.set(service, p);
    }
    return p;
  };
  const ids: Record<string, string> = {};
  let traceId = '';
  const emit = (node: PlannedSpan, parent: Span | null) => {
    const tracer = provider(node.service).getTracer('skein-ui-test', '1.0.0');
    const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span = tracer.startSpan(node.name, { kind: node.kind ?? SpanKind.INTERNAL, startTime: hr(baseMs + node.start), attributes: node.attributes }, ctx);
    for (const e of node.events ?? []) span.addEvent(e.name, e.attributes ?? {}, hr(baseMs + e.at));
    if (node.error) span.setStatus({ code: SpanStatusCode.ERROR, message: node.error });
    ids[node.name] = span.spanContext().spanId;
    traceId = span.spanContext().traceId;
    for (const c of node.children ?? []) emit(c, span);
    span.end(hr(baseMs + node.end));
  };
  emit(root, null);
  for (const p of providers.values()) await p.forceFlush();
  await Promise.all([...providers.values()].map((p) => p.shutdown()));
  return { traceId, ids };
}

/** A Kata Containers start-up: containerd -> kata-runtime -> kata-agent, with a known critical path. */
export function kataStartup(opts: { slow: boolean }): PlannedSpan {
  const agentWork: PlannedSpan[] = opts.slow
    ? [
        { service: 'kata-agent', name: 'pullImage', start: 330, end: 700, attributes: { 'image.ref': 'docker.io/library/busybox:latest' } },
        { service: 'kata-agent', name: 'mountRootfs', start: 705, end: 760 },
        { service: 'kata-agent', name: 'mountRootfs', start: 765, end: 800 },
      ]
    : [{ service: 'kata-agent', name: 'mountRootfs', start: 330, end: 360 }];
  const scale = opts.slow ? 1 : 0.5;
  return {
    service: 'containerd', name: 'rootSpan', start: 0, end: 1000 * scale, kind: SpanKind.SERVER,
    attributes: { 'container.id': 'c0ffee', 'sandbox.id': 'sb-1 with spaces=and equals' },
    children: [
      { service: 'containerd', name: 'healthCheck', start: 50, end: 120 },
      {
        service: 'kata-runtime', name: 'createSandbox', start: 10, end: 300 * scale, kind: SpanKind.CLIENT,
        attributes: { package: 'virtcontainers', subsystem: 'sandbox' },
        children: [
          {
            service: 'kata-runtime', name: 'startVM', start: 20, end: 280 * scale,
            attributes: { hypervisor: 'qemu', vcpus: 2, 'memory.mb': 2048.5, debug: false },
            events: [{ name: 'vm booted', at: 90, attributes: { 'boot.ms': 70 } }],
            children: [{ service: 'kata-agent', name: 'init', start: 100 * scale, end: 250 * scale, kind: SpanKind.SERVER }],
          },
        ],
      },
      {
        service: 'kata-runtime', name: 'createContainer', start: 300 * scale, end: 900 * scale, kind: SpanKind.CLIENT,
        children: [
          { service: 'kata-runtime', name: 'prefetch', start: 325 * scale, end: 500 * scale },
          {
            service: 'kata-agent', name: 'CreateContainer', start: 320 * scale, end: 880 * scale, kind: SpanKind.SERVER,
            attributes: { note: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>', 'sandbox.id': 'sb-1 with spaces=and equals' },
            error: opts.slow ? 'image pull took too long' : undefined,
            children: opts.slow ? agentWork : agentWork.map((s) => ({ ...s })),
          },
        ],
      },
      { service: 'kata-runtime', name: 'startContainer', start: 900 * scale, end: 950 * scale, kind: SpanKind.CLIENT },
    ],
  };
}
