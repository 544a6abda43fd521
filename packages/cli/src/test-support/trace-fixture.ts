/** A CI-shaped trace for rendering tests: nested steps over three services, one failing. */
import type { Resource, Span } from '@skein/model';
import { testResource, testScope, testSpan } from '../../../model/src/test-support/spans.js';

const res = (name: string): Resource => testResource(name);
const scope = testScope('test');
const T0 = 1_764_216_000_000_000_000n;
const MS = 1_000_000n;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function span(id: number, parent: number, name: string, service: Resource, startMs: number, endMs: number, error = false): Span {
  return testSpan({
    traceId: TRACE,
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent ? parent.toString(16).padStart(16, '0') : '',
    name,
    kind: 1,
    startTimeUnixNano: T0 + BigInt(startMs) * MS,
    endTimeUnixNano: T0 + BigInt(endMs) * MS,
    events: id === 5 ? [{ timeUnixNano: T0 + 900n * MS, name: 'cache miss', attributes: [], droppedAttributesCount: 0 }] : [],
    status: { code: error ? 2 : 0, message: error ? 'exit code 1' : '' },
    resource: service,
    scope,
  });
}

export function ciTrace(): Span[] {
  const ci = res('ci');
  const build = res('build');
  const deploy = res('deploy-agent');
  return [
    span(1, 0, 'pipeline', ci, 0, 12_400),
    span(2, 1, 'checkout', ci, 10, 800),
    span(3, 1, 'build', build, 820, 7_000),
    span(4, 3, 'npm ci', build, 830, 3_000),
    span(5, 3, 'tsc -b with a rather long operation name that must be cut', build, 3_010, 6_900),
    span(6, 1, 'test', ci, 820, 5_200, true),
    span(7, 1, 'deploy', deploy, 7_050, 12_390),
    span(8, 7, 'kubectl rollout status deploy/web', deploy, 7_100, 12_300),
  ];
}
