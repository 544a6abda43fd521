/** Canonical spans -> Zipkin v2 spans, per MAPPING.md beside this file. */
import type { Span } from '../span.js';
import { serviceName } from '../span.js';
import { nsToMicros } from '../time.js';
import type { ZipkinEndpoint, ZipkinKind, ZipkinSpan } from './types.js';
import { valueToText } from './value-text.js';

const KIND: Record<number, ZipkinKind | undefined> = { 2: 'SERVER', 3: 'CLIENT', 4: 'PRODUCER', 5: 'CONSUMER' };
const ENDPOINT_KEYS = new Set([
  'peer.service', 'network.peer.address', 'network.peer.port', 'network.local.address', 'network.local.port', 'zipkin.shared',
]);

/** A 128-bit id whose high half is zero is written as 16 digits, as 64-bit Zipkin clients sent it. */
export const shortTraceId = (id: string): string => (id.startsWith('0000000000000000') ? id.slice(16) : id);

function endpoint(ep: ZipkinEndpoint, address: unknown, port: unknown): ZipkinEndpoint {
  if (typeof address === 'string' && address) {
    if (address.includes(':')) ep.ipv6 = address;
    else ep.ipv4 = address;
  }
  const p = typeof port === 'bigint' ? Number(port) : typeof port === 'number' ? port : typeof port === 'string' ? Number(port) : 0;
  if (p > 0 && p <= 65535) ep.port = p;
  return ep;
}

export function spanToZipkin(s: Span): ZipkinSpan {
  const tags: Record<string, string> = {};
  const a = new Map<string, unknown>();
  for (const kv of s.attributes) {
    if (ENDPOINT_KEYS.has(kv.key)) a.set(kv.key, kv.value);
    else tags[kv.key] = valueToText(kv.value);
  }
  for (const kv of s.resource.attributes) if (kv.key !== 'service.name') tags[kv.key] = valueToText(kv.value);
  if (s.scope.name) tags['otel.scope.name'] = s.scope.name;
  if (s.scope.version) tags['otel.scope.version'] = s.scope.version;
  if (s.status.code === 1) tags['otel.status_code'] = 'OK';
  if (s.status.code === 2) {
    tags['otel.status_code'] = 'ERROR';
    tags['error'] = s.status.message || 'true';
  }
  if (s.droppedAttributesCount) tags['otel.dropped_attributes_count'] = String(s.droppedAttributesCount);
  if (s.droppedEventsCount) tags['otel.dropped_events_count'] = String(s.droppedEventsCount);
  if (s.droppedLinksCount) tags['otel.dropped_links_count'] = String(s.droppedLinksCount);

  const z: ZipkinSpan = { traceId: shortTraceId(s.traceId), id: s.spanId };
  if (s.parentSpanId) z.parentId = s.parentSpanId;
  if (a.get('zipkin.shared') === true && s.parentSpanId) {
    // Undo the decoder's split: the server half of a shared span carries the client's id.
    z.id = s.parentSpanId;
    delete z.parentId;
    z.shared = true;
  }
  const kind = KIND[s.kind];
  if (kind) z.kind = kind;
  if (s.name) z.name = s.name;
  if (s.startTimeUnixNano > 0n) z.timestamp = nsToMicros(s.startTimeUnixNano);
  const durNs = s.endTimeUnixNano - s.startTimeUnixNano;
  // Zipkin reads duration 0 as "unknown": round sub-µs spans up to 1 µs.
  if (durNs > 0n) z.duration = Math.max(1, nsToMicros(durNs));
  z.localEndpoint = endpoint({ serviceName: serviceName(s.resource) }, a.get('network.local.address'), a.get('network.local.port'));
  const peer = endpoint({}, a.get('network.peer.address'), a.get('network.peer.port'));
  const peerService = a.get('peer.service');
  if (typeof peerService === 'string' && peerService) peer.serviceName = peerService;
  if (Object.keys(peer).length > 0) z.remoteEndpoint = peer;
  if (s.events.length > 0) {
    z.annotations = s.events.map((e) => {
      let value = e.name;
      if (e.attributes.length > 0) {
        const o: Record<string, string> = {};
        for (const kv of e.attributes) o[kv.key] = valueToText(kv.value);
        value += ' ' + JSON.stringify(o);
      }
      return { timestamp: nsToMicros(e.timeUnixNano), value };
    });
  }
  if (Object.keys(tags).length > 0) z.tags = tags;
  return z;
}

export const spansToZipkin = (spans: Span[]): ZipkinSpan[] => spans.map(spanToZipkin);
