/** Builds canonical spans for tests. */
import { randomBytes } from 'node:crypto';
import { emptyScope, type Resource, type Span } from '@skein/model';

let clock = 1_700_000_000_000_000_000n;

export function makeResource(service = 'test-svc'): Resource {
  return { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0, schemaUrl: '' };
}

export function makeSpan(over: Partial<Span> = {}): Span {
  const start = (clock += 1_000_123n);
  return {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'op',
    kind: 2,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5_000_007n,
    attributes: [{ key: 'n', value: 1n }],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: makeResource(),
    scope: emptyScope(),
    ...over,
  };
}
