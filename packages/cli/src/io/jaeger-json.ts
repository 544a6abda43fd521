/**
 * Jaeger's JSON trace shape (the classic query API and the Jaeger UI's JSON download) to
 * canonical spans. Jaeger keeps microseconds, so times are µs-exact; 64-bit ids are
 * left-padded with zeros (DESIGN.md).
 */
import {
  emptyScope,
  normalizeSpanId,
  normalizeTraceId,
  type AnyValue,
  type KeyValue,
  type Resource,
  type Span,
} from '@skein/model';

interface JTag {
  key: string;
  type?: string;
  value: unknown;
}
interface JSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; traceID: string; spanID: string }>;
  startTime: number;
  duration: number;
  tags?: JTag[];
  logs?: Array<{ timestamp: number; fields?: JTag[] }>;
  processID?: string;
  process?: { serviceName: string; tags?: JTag[] };
  flags?: number;
}
export interface JTrace {
  traceID?: string;
  spans: JSpan[];
  processes?: Record<string, { serviceName: string; tags?: JTag[] }>;
}

const KIND: Record<string, 1 | 2 | 3 | 4 | 5> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function tagValue(t: JTag): AnyValue {
  if (t.type === 'int64') return typeof t.value === 'number' || typeof t.value === 'string' ? BigInt(t.value) : null;
  if (t.type === 'float64') return Number(t.value);
  if (t.type === 'bool') return t.value === true || t.value === 'true';
  if (t.type === 'binary') return Buffer.from(String(t.value), 'base64');
  if (typeof t.value === 'number') return Number.isInteger(t.value) ? BigInt(t.value) : t.value;
  if (typeof t.value === 'boolean') return t.value;
  return String(t.value ?? '');
}

const attrs = (tags: JTag[] | undefined): KeyValue[] => (tags ?? []).map((t) => ({ key: t.key, value: tagValue(t) }));

/** Spans of one Jaeger JSON trace; spans with unusable ids are skipped and counted. */
export function jaegerTraceToSpans(trace: JTrace): { spans: Span[]; skipped: number } {
  const resources = new Map<string, Resource>();
  const resourceOf = (p: { serviceName: string; tags?: JTag[] } | undefined, key: string): Resource => {
    let r = resources.get(key);
    if (!r) {
      r = { attributes: [{ key: 'service.name', value: p?.serviceName ?? 'unknown_service' }, ...attrs(p?.tags)], droppedAttributesCount: 0, schemaUrl: '' };
      resources.set(key, r);
    }
    return r;
  };
  const scope = emptyScope();
  const spans: Span[] = [];
  let skipped = 0;
  for (const js of trace.spans ?? []) {
    const traceId = normalizeTraceId(String(js.traceID ?? trace.traceID ?? ''));
    const spanId = normalizeSpanId(String(js.spanID ?? ''));
    if (!traceId || !spanId || typeof js.startTime !== 'number') {
      skipped++;
      continue;
    }
    const parentRef = (js.references ?? []).find((r) => r.refType === 'CHILD_OF') ?? js.references?.[0];
    const tags = attrs(js.tags);
    let kind: Span['kind'] = 0;
    let code: Span['status']['code'] = 0;
    let message = '';
    const kept: KeyValue[] = [];
    for (const t of tags) {
      if (t.key === 'span.kind' && typeof t.value === 'string' && KIND[t.value]) kind = KIND[t.value]!;
      else if (t.key === 'error' && (t.value === true || t.value === 'true')) code = 2;
      else if (t.key === 'otel.status_code') code = t.value === 'ERROR' ? 2 : t.value === 'OK' ? 1 : code;
      else if (t.key === 'otel.status_description') message = String(t.value);
      else kept.push(t);
    }
    const startNs = BigInt(Math.trunc(js.startTime)) * 1000n;
    spans.push({
      traceId,
      spanId,
      parentSpanId: parentRef ? (normalizeSpanId(parentRef.spanID) ?? '') : '',
      traceState: '',
      flags: js.flags ?? 1,
      name: js.operationName ?? '',
      kind,
      startTimeUnixNano: startNs,
      endTimeUnixNano: startNs + BigInt(Math.trunc(js.duration ?? 0)) * 1000n,
      attributes: kept,
      droppedAttributesCount: 0,
      events: (js.logs ?? []).map((l) => {
        const fields = attrs(l.fields);
        const ev = fields.find((f) => f.key === 'event');
        return {
          timeUnixNano: BigInt(Math.trunc(l.timestamp)) * 1000n,
          name: ev ? String(ev.value) : '',
          attributes: fields.filter((f) => f !== ev),
          droppedAttributesCount: 0,
        };
      }),
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code, message },
      resource: js.process ? resourceOf(js.process, `inline:${js.process.serviceName}`) : resourceOf(trace.processes?.[js.processID ?? ''], js.processID ?? ''),
      scope,
    });
  }
  return { spans, skipped };
}
