/** The one canonical-span builder for tests in every package: neutral defaults, each test overrides what it exercises. */
import { emptyScope, type KeyValue, type Resource, type Scope, type Span } from '../span.js';

/** A Resource naming `service`, with `attrs` after service.name. */
export function testResource(service = 'svc', attrs: KeyValue[] = []): Resource {
  return { attributes: [{ key: 'service.name', value: service }, ...attrs], droppedAttributesCount: 0, schemaUrl: '' };
}

/** A Scope with only a name and version (both empty by default). */
export function testScope(name = '', version = ''): Scope {
  return { ...emptyScope(), name, version };
}

/** A minimal valid span (fixed ids, a 100 ms server span of service "svc"); `over` replaces any field. */
export function testSpan(over: Partial<Span> = {}): Span {
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
    resource: over.resource ?? testResource(),
    scope: over.scope ?? emptyScope(),
    ...over,
  };
}

/** `testSpan` with `service` and extra resource attributes as shorthands (the codec tests' form). */
export function makeSpan(over: Partial<Span> & { service?: string; resourceAttrs?: KeyValue[] } = {}): Span {
  const { service = 'svc', resourceAttrs = [], ...rest } = over;
  return testSpan({ resource: testResource(service, resourceAttrs), ...rest });
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
