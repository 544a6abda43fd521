/** Builds canonical spans for server tests: the shared test span with random ids and a moving clock. */
import { randomBytes } from 'node:crypto';
import type { Resource, Span } from '@skein/model';
import { testResource, testSpan } from '../../../model/src/test-support/spans.js';

let clock = 1_700_000_000_000_000_000n;

export function makeResource(service = 'test-svc'): Resource {
  return testResource(service);
}

export function makeSpan(over: Partial<Span> = {}): Span {
  const start = (clock += 1_000_123n);
  return testSpan({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5_000_007n,
    attributes: [{ key: 'n', value: 1n }],
    resource: makeResource(),
    ...over,
  });
}
