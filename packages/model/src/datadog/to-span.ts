/** Datadog spans -> canonical spans, per MAPPING.md beside this file. */
import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink } from '../span.js';
import { emptyScope } from '../span.js';
import type { DdSpan } from './dd-span.js';

export const PRIORITY_KEY = '_sampling_priority_v1';
const KIND_BY_META: Record<string, SpanKind> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
/** Datadog span types that are the outgoing side of a call. */
const CLIENT_TYPES = new Set([
  'http', 'grpc', 'sql', 'db', 'redis', 'cache', 'memcached', 'mongodb', 'elasticsearch', 'cassandra', 'leveldb', 'aerospike', 'dns', 'opensearch', 'graphql',
]);
/** Meta keys taken elsewhere: the process ones (env, version, language) go to the resource. */
const CONSUMED_META = new Set(['_dd.p.tid', 'span.kind', 'events', '_dd.span_links', 'env', 'version', 'language']);

const hex16 = (v: bigint) => v.toString(16).padStart(16, '0');

export interface DdDecoded {
  spans: Span[];
  /** Trace chunks dropped because their sampling priority was <= 0 (rejected). */
  droppedTraces: number;
  droppedSpans: number;
}

export interface DdDecodeOptions {
  /** Keep chunks whose sampling priority rejects them (default false: drop them, as the agent does). */
  keepRejected?: boolean;
}

function kindOf(dd: DdSpan): SpanKind {
  const k = KIND_BY_META[dd.meta.get('span.kind') ?? ''];
  if (k) return k;
  if (dd.type === 'web') return 2;
  if (CLIENT_TYPES.has(dd.type)) return 3;
  return 1;
}

function jsonArray(text: string | undefined): Record<string, unknown>[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
  } catch {
    return [];
  }
}

function jsonAttrs(o: unknown): KeyValue[] {
  if (typeof o !== 'object' || o === null) return [];
  const out: KeyValue[] = [];
  for (const [key, v] of Object.entries(o)) {
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') out.push({ key, value: v });
    else if (Array.isArray(v)) out.push({ key, value: v.filter((x) => ['string', 'boolean', 'number'].includes(typeof x)) as AnyValue[] });
  }
  return out;
}

/** Legacy `meta.events`: `[{name, time_unix_nano, attributes}]` as JSON. */
function metaEvents(text: string | undefined): SpanEvent[] {
  return jsonArray(text).map((e) => ({
    name: typeof e.name === 'string' ? e.name : '',
    timeUnixNano: typeof e.time_unix_nano === 'number' ? BigInt(Math.round(e.time_unix_nano)) : 0n,
    attributes: jsonAttrs(e.attributes),
    droppedAttributesCount: 0,
  }));
}

/** `meta._dd.span_links`: `[{trace_id: hex32, span_id: hex16, attributes, flags, tracestate}]`. */
function metaLinks(text: string | undefined): SpanLink[] {
  const out: SpanLink[] = [];
  for (const l of jsonArray(text)) {
    const t = typeof l.trace_id === 'string' ? l.trace_id.toLowerCase().padStart(32, '0') : '';
    const s = typeof l.span_id === 'string' ? l.span_id.toLowerCase().padStart(16, '0') : '';
    if (!/^[0-9a-f]{32}$/.test(t) || !/^[0-9a-f]{16}$/.test(s)) continue;
    out.push({
      traceId: t, spanId: s, traceState: typeof l.tracestate === 'string' ? l.tracestate : '',
      flags: typeof l.flags === 'number' ? l.flags & 0xff : 0, attributes: jsonAttrs(l.attributes), droppedAttributesCount: 0,
    });
  }
  return out;
}

/** Converts trace chunks; spans with the same service, env, version and language share a Resource. */
export function ddToSpans(chunks: DdSpan[][], opts: DdDecodeOptions = {}): DdDecoded {
  const resources = new Map<string, Resource>();
  const scope: Scope = emptyScope();
  const out: DdDecoded = { spans: [], droppedTraces: 0, droppedSpans: 0 };
  for (const chunk of chunks) {
    let priority: number | undefined;
    const tids = new Map<bigint, string>();
    for (const dd of chunk) {
      const p = dd.metrics.get(PRIORITY_KEY);
      if (p !== undefined && priority === undefined) priority = p;
      const tid = dd.meta.get('_dd.p.tid');
      if (tid && /^[0-9a-fA-F]{16}$/.test(tid)) tids.set(dd.traceId, tid.toLowerCase());
    }
    if (priority !== undefined && priority <= 0 && !opts.keepRejected) {
      out.droppedTraces++;
      out.droppedSpans += chunk.length;
      continue;
    }
    for (const dd of chunk) {
      const env = dd.meta.get('env') ?? '';
      const version = dd.meta.get('version') ?? '';
      const language = dd.meta.get('language') ?? '';
      const resKey = `${dd.service}\0${env}\0${version}\0${language}`;
      let resource = resources.get(resKey);
      if (!resource) {
        const resAttrs: KeyValue[] = [{ key: 'service.name', value: dd.service }];
        if (env) resAttrs.push({ key: 'deployment.environment', value: env });
        if (version) resAttrs.push({ key: 'service.version', value: version });
        if (language) resAttrs.push({ key: 'telemetry.sdk.language', value: language });
        resources.set(resKey, (resource = { attributes: resAttrs, droppedAttributesCount: 0, schemaUrl: '' }));
      }

      const attributes: KeyValue[] = [];
      if (dd.resource && dd.resource !== dd.name) attributes.push({ key: 'resource.name', value: dd.resource });
      if (dd.type) attributes.push({ key: 'span.type', value: dd.type });
      for (const [key, value] of dd.meta) if (!CONSUMED_META.has(key)) attributes.push({ key, value });
      for (const [key, value] of dd.metrics) if (key !== PRIORITY_KEY) attributes.push({ key, value });
      const error = dd.error !== 0;
      out.spans.push({
        traceId: (tids.get(dd.traceId) ?? '0000000000000000') + hex16(dd.traceId),
        spanId: hex16(dd.spanId),
        parentSpanId: dd.parentId === 0n ? '' : hex16(dd.parentId),
        traceState: '',
        flags: 1,
        name: dd.name,
        kind: kindOf(dd),
        startTimeUnixNano: dd.start,
        endTimeUnixNano: dd.start + dd.duration,
        attributes,
        droppedAttributesCount: 0,
        events: dd.events ?? metaEvents(dd.meta.get('events')),
        droppedEventsCount: 0,
        links: metaLinks(dd.meta.get('_dd.span_links')),
        droppedLinksCount: 0,
        status: { code: error ? 2 : 0, message: error ? (dd.meta.get('error.message') ?? dd.meta.get('error.msg') ?? '') : '' },
        resource,
        scope,
      });
    }
  }
  return out;
}
