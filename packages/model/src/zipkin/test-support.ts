/** Test helpers for the foreign-format codecs: a canonical span builder and a normaliser. */
import type { KeyValue, Resource, Scope, Span } from '../span.js';

export function makeSpan(over: Partial<Span> & { service?: string; resourceAttrs?: KeyValue[] } = {}): Span {
  const { service = 'svc', resourceAttrs = [], ...rest } = over;
  const resource: Resource = { attributes: [{ key: 'service.name', value: service }, ...resourceAttrs], droppedAttributesCount: 0, schemaUrl: '' };
  const scope: Scope = { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'op',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_123_456_000n,
    endTimeUnixNano: 1_700_000_000_223_456_000n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource,
    scope,
    ...rest,
  };
}

/** A plain comparable view of a span (resource and scope inlined, attributes sorted by key). */
export function plain(s: Span): unknown {
  const sort = (a: KeyValue[]) => [...a].sort((x, y) => x.key.localeCompare(y.key));
  return {
    ...s,
    attributes: sort(s.attributes),
    resource: { ...s.resource, attributes: sort(s.resource.attributes) },
    events: s.events.map((e) => ({ ...e, attributes: sort(e.attributes) })),
  };
}
