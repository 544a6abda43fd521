/** SkeinProvider: the global TracerProvider; owns tracers, limits, metrics and the export queue. */

import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import type { KeyValue, Resource } from '@skein/model';
import type { Core } from './core.js';
import type { ByteExporter } from './export/exporter.js';
import { ForwardSocketExporter } from './export/forward-socket.js';
import { OtlpHttpExporter } from './export/otlp-http.js';
import { ExportQueue } from './export/queue.js';
import { parseThresholds, thresholdFor } from './levels.js';
import type { Thresholds } from './levels.js';
import { SpanMetrics } from './metrics.js';
import type { GuardOptions, SdkOptions, SpanLimits } from './options.js';
import type { SkeinSpan } from './span.js';
import { SkeinTracer } from './tracer.js';
import type { TracerState } from './tracer.js';

export const SDK_VERSION = '0.1.0';

export function makeExporter(o: Pick<SdkOptions, 'endpoint' | 'headers' | 'timeoutMs'>): ByteExporter | null {
  const ep = o.endpoint.trim();
  if (ep === '' || ep === 'none' || ep === 'off') return null;
  if (ep.startsWith('unix:')) return new ForwardSocketExporter(ep.slice(5), o.timeoutMs);
  return new OtlpHttpExporter(ep, o.headers, o.timeoutMs);
}

function makeResource(o: SdkOptions): Resource {
  const attrs: Record<string, string | bigint> = {
    ...o.resourceAttributes,
    'service.name': o.serviceName,
    'telemetry.sdk.name': '@skein/sdk',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': SDK_VERSION,
    'process.pid': BigInt(process.pid),
  };
  const attributes: KeyValue[] = Object.entries(attrs).map(([key, value]) => ({ key, value }));
  return { attributes, droppedAttributesCount: 0, schemaUrl: '' };
}

export class SkeinProvider implements TracerProvider, Core {
  readonly limits: SpanLimits;
  readonly guard: GuardOptions;
  open = 0;
  readonly state: TracerState;
  readonly metrics: SpanMetrics | null;
  readonly queue: ExportQueue;
  readonly resource: Resource;
  private readonly tracers = new Map<string, SkeinTracer>();
  private thresholds: Thresholds;
  private readonly warned = new Set<string>();

  constructor(private readonly o: SdkOptions, exporter: ByteExporter | null = makeExporter(o)) {
    this.limits = o.limits;
    this.guard = o.guard;
    this.thresholds = parseThresholds(o.level);
    this.metrics = o.metrics ? new SpanMetrics() : null;
    this.state = { enabled: o.enabled, sampler: o.sampler, metrics: this.metrics };
    this.resource = makeResource(o);
    this.queue = new ExportQueue(exporter, this.resource, o);
    this.metrics?.addSource(() => ({ ...this.queue.counters(), skein_sdk_spans_open: this.open }));
  }

  getTracer(name: string, version = '', options?: TracerOptions): Tracer {
    const key = `${name}\0${version}\0${options?.schemaUrl ?? ''}`;
    let t = this.tracers.get(key);
    if (t === undefined) {
      const scope = { name, version, attributes: [], droppedAttributesCount: 0, schemaUrl: options?.schemaUrl ?? '' };
      t = new SkeinTracer({ core: this, scope, component: name }, this.state, thresholdFor(this.thresholds, name));
      this.tracers.set(key, t);
    }
    return t;
  }

  onEnd(span: SkeinSpan): void {
    if (this.metrics !== null) this.metrics.record(span.name, span.statusCode, span.endMs - span.startMs);
    this.queue.push(span);
  }

  /** Changes the level thresholds of every tracer, now and later (`info,storage=debug`). */
  setLevel(text: string): void {
    this.thresholds = parseThresholds(text);
    for (const t of this.tracers.values()) t.threshold = thresholdFor(this.thresholds, t.owner.component);
  }

  warnOnce(key: string, message: string): void {
    if (this.warned.has(key) || this.warned.size > 1000) return;
    this.warned.add(key);
    this.o.warn(message);
  }
}
