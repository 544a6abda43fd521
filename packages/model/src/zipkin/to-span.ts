/** Zipkin v2 spans -> canonical spans, per MAPPING.md beside this file. */
import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent, SpanKind, StatusCode } from '../span.js';
import { emptyScope } from '../span.js';
import { microsToNs } from '../time.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinKind, ZipkinSpan } from './types.js';

const KIND: Record<ZipkinKind, SpanKind> = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

/**
 * Tag keys with these prefixes describe the process, not the span: OpenTelemetry's Zipkin exporter
 * (and ours) copy resource attributes into tags, so they go back to the resource.
 */
export const RESOURCE_TAG_PREFIXES = [
  'service.', 'telemetry.', 'host.', 'process.', 'os.', 'container.', 'k8s.', 'cloud.', 'deployment.', 'device.', 'faas.',
];
export const isResourceTag = (key: string): boolean => RESOURCE_TAG_PREFIXES.some((p) => key.startsWith(p));

/** Multiplying by an odd constant is a bijection on 64-bit ids that keeps non-zero ids non-zero. */
const SHARED_MIX = 0x9e3779b97f4a7c15n;
export const sharedServerSpanId = (id: string): string =>
  ((BigInt('0x' + id) * SHARED_MIX) & 0xffffffffffffffffn).toString(16).padStart(16, '0');

const pad = (hex: string, n: number) => hex.toLowerCase().padStart(n, '0');

function eventOf(a: ZipkinAnnotation): SpanEvent {
  let name = a.value;
  const attributes: KeyValue[] = [];
  // Our exporter writes `name {"k":"v"}` for events with attributes; read that back.
  const brace = a.value.indexOf(' {');
  if (brace >= 0 && a.value.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(a.value.slice(brace + 1));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        name = a.value.slice(0, brace);
        for (const [k, v] of Object.entries(parsed)) attributes.push({ key: k, value: typeof v === 'string' ? v : JSON.stringify(v) });
      }
    } catch {
      // not ours: the whole value is the name
    }
  }
  return { timeUnixNano: microsToNs(a.timestamp), name, attributes, droppedAttributesCount: 0 };
}

function addEndpoint(attrs: KeyValue[], ep: ZipkinEndpoint | undefined, side: 'local' | 'peer'): void {
  if (!ep) return;
  if (side === 'peer' && ep.serviceName) attrs.push({ key: 'peer.service', value: ep.serviceName });
  const ip = ep.ipv4 || ep.ipv6;
  if (ip) attrs.push({ key: `network.${side}.address`, value: ip });
  if (ep.port) attrs.push({ key: `network.${side}.port`, value: BigInt(ep.port) });
}

/** Converts validated Zipkin spans; spans with the same service and resource tags share a Resource. */
export function zipkinToSpans(list: ZipkinSpan[]): Span[] {
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, Scope>();
  const out: Span[] = [];
  for (const z of list) {
    const attributes: KeyValue[] = [];
    const resAttrs: KeyValue[] = [];
    const service = z.localEndpoint?.serviceName;
    if (service) resAttrs.push({ key: 'service.name', value: service });
    let code: StatusCode = 0;
    let message = '';
    let scopeName = '';
    let scopeVersion = '';
    let droppedAttrs = 0;
    let droppedEvents = 0;
    let droppedLinks = 0;
    for (const [key, value] of Object.entries(z.tags ?? {})) {
      switch (key) {
        case 'otel.status_code':
          if (value === 'ERROR') code = 2;
          else if (value === 'OK' && code !== 2) code = 1;
          break;
        case 'error':
          code = 2;
          if (value !== 'true' && value !== '') message = value;
          break;
        case 'otel.status_description':
          message = value;
          break;
        case 'otel.scope.name':
        case 'otel.library.name':
          scopeName = value;
          break;
        case 'otel.scope.version':
        case 'otel.library.version':
          scopeVersion = value;
          break;
        case 'otel.dropped_attributes_count':
          droppedAttrs = Number(value) || 0;
          break;
        case 'otel.dropped_events_count':
          droppedEvents = Number(value) || 0;
          break;
        case 'otel.dropped_links_count':
          droppedLinks = Number(value) || 0;
          break;
        default:
          if (isResourceTag(key)) {
            if (key !== 'service.name' || !service) resAttrs.push({ key, value });
          } else attributes.push({ key, value: value as AnyValue });
      }
    }
    addEndpoint(attributes, z.localEndpoint, 'local');
    addEndpoint(attributes, z.remoteEndpoint, 'peer');

    const resKey = JSON.stringify(resAttrs);
    let resource = resources.get(resKey);
    if (!resource) resources.set(resKey, (resource = { attributes: resAttrs, droppedAttributesCount: 0, schemaUrl: '' }));
    const scopeKey = scopeName + '\0' + scopeVersion;
    let scope = scopes.get(scopeKey);
    if (!scope) scopes.set(scopeKey, (scope = { ...emptyScope(), name: scopeName, version: scopeVersion }));

    let spanId = pad(z.id, 16);
    let parentSpanId = z.parentId ? pad(z.parentId, 16) : '';
    if (parentSpanId === '0000000000000000') parentSpanId = '';
    if (z.shared && z.kind === 'SERVER') {
      // The server half of a shared span: give it its own id, as a child of the client half.
      parentSpanId = spanId;
      spanId = sharedServerSpanId(spanId);
      attributes.push({ key: 'zipkin.shared', value: true });
    }

    const events = (z.annotations ?? []).map(eventOf);
    let startUs = z.timestamp;
    if (startUs === undefined) for (const a of z.annotations ?? []) if (startUs === undefined || a.timestamp < startUs) startUs = a.timestamp;
    const start = startUs === undefined ? 0n : microsToNs(startUs);
    out.push({
      traceId: pad(z.traceId, 32),
      spanId,
      parentSpanId,
      traceState: '',
      flags: 1,
      name: z.name ?? '',
      kind: z.kind ? KIND[z.kind] : 1,
      startTimeUnixNano: start,
      endTimeUnixNano: start + microsToNs(z.duration ?? 0),
      attributes,
      droppedAttributesCount: droppedAttrs,
      events,
      droppedEventsCount: droppedEvents,
      links: [],
      droppedLinksCount: droppedLinks,
      status: { code, message: code === 2 ? message : '' },
      resource,
      scope,
    });
  }
  return out;
}
