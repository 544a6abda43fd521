/** SkeinSpan -> the canonical Span of @skein/model, done in batches off the hot path. */

import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import type { AnyValue, KeyValue, Resource, Span } from '@skein/model';
import type { SkeinSpan } from './span.js';
import { relMsToNs } from './time.js';

function anyValue(v: AttributeValue | undefined): AnyValue {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map((x) => anyValue(x ?? undefined));
  return v ?? null;
}

function keyValues(attrs: Attributes | undefined): KeyValue[] {
  const out: KeyValue[] = [];
  if (attrs === undefined) return out;
  for (const key in attrs) {
    const v = attrs[key];
    if (v != null) out.push({ key, value: anyValue(v) });
  }
  return out;
}

function link(l: Link): Span['links'][number] {
  return {
    traceId: l.context.traceId,
    spanId: l.context.spanId,
    traceState: l.context.traceState?.serialize() ?? '',
    attributes: keyValues(l.attributes),
    droppedAttributesCount: 0,
    flags: l.context.traceFlags & 0xff,
  };
}

export function toModelSpan(s: SkeinSpan, resource: Resource): Span {
  const sc = s.spanContext();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: s.parentSpanId,
    traceState: sc.traceState?.serialize() ?? '',
    flags: sc.traceFlags & 0xff,
    name: s.name,
    kind: (s.kind + 1) as Span['kind'],
    startTimeUnixNano: relMsToNs(s.startMs),
    endTimeUnixNano: relMsToNs(s.endMs),
    attributes: keyValues(s.attributes),
    droppedAttributesCount: s.droppedAttributes,
    events:
      s.events === null
        ? []
        : s.events.map((e) => ({
            timeUnixNano: relMsToNs(e.timeMs),
            name: e.name,
            attributes: keyValues(e.attributes),
            droppedAttributesCount: e.droppedAttributes,
          })),
    droppedEventsCount: s.droppedEvents,
    links: s.links === null ? [] : s.links.map(link),
    droppedLinksCount: s.droppedLinks,
    status: { code: s.statusCode as Span['status']['code'], message: s.statusMessage },
    resource,
    scope: s.owner.scope,
  };
}
