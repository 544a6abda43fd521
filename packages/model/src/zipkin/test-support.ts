/** Test helpers for the foreign-format codecs: a canonical span builder and a normaliser. */
import type { KeyValue, Span } from '../span.js';
import { testResource, testSpan } from '../test-support/spans.js';

/** The shared test span, with `service` and extra resource attributes as shorthands. */
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
