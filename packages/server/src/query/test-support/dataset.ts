/** A small, fully known set of traces the HTTP tests query. */
import type { Span } from '@skein/model';
import { resource, scope, span } from './fixtures.js';

export const T0 = 1_700_000_000_000_000_000n;
export const TRACE_A = 'a1a2a3a4a5a6a7a8a9aaabacadaeaf00';
export const TRACE_B16 = 'b1b2b3b4b5b6b7b8'; // a 64-bit id, as Jaeger clients send
export const TRACE_B = '0000000000000000' + TRACE_B16;
export const TRACE_ORPHAN = 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0';

const front = resource('frontend', [{ key: 'host.name', value: 'web-1' }, { key: 'pid', value: 42n }]);
const back = resource('backend');

export function datasetSpans(): Span[] {
  const spans: Span[] = [
    span({
      traceId: TRACE_A,
      spanId: '000000000000000a',
      name: 'GET /',
      kind: 2,
      startTimeUnixNano: T0 + 1_999n, // truncates to T0/1000 + 1 µs
      endTimeUnixNano: T0 + 5_000_999n,
      resource: front,
      scope: scope('http-lib', '2.0.0'),
      status: { code: 1, message: '' },
      attributes: [
        { key: 'http.method', value: 'GET' },
        { key: 'http.status_code', value: 200n },
        { key: 'big', value: 9007199254740993n },
        { key: 'ratio', value: 0.25 },
        { key: 'cached', value: false },
        { key: 'blob', value: new Uint8Array([1, 2, 3]) },
        { key: 'list', value: ['x', 1n, true] },
        { key: 'map', value: { kvlist: [{ key: 'k', value: 'v' }] } },
      ],
      events: [{ timeUnixNano: T0 + 2_500_500n, name: 'cache miss', attributes: [{ key: 'key', value: 'user:1' }], droppedAttributesCount: 0 }],
      traceState: 'vendor=1',
    }),
    span({
      traceId: TRACE_A,
      spanId: '000000000000000b',
      parentSpanId: '000000000000000a',
      name: 'SELECT users',
      kind: 3,
      startTimeUnixNano: T0 + 1_000_000n,
      endTimeUnixNano: T0 + 4_000_000n,
      resource: back,
      status: { code: 2, message: 'deadlock' },
      attributes: [{ key: 'db.system', value: 'postgresql' }],
      links: [{ traceId: TRACE_B, spanId: '00000000000000b1', traceState: '', attributes: [{ key: 'why', value: 'batch' }], droppedAttributesCount: 0, flags: 0 }],
    }),
    span({
      traceId: TRACE_B,
      spanId: '00000000000000b1',
      name: 'batch',
      kind: 5,
      startTimeUnixNano: T0 - 60_000_000_000n,
      endTimeUnixNano: T0 - 59_000_000_000n,
      resource: back,
    }),
    span({
      traceId: TRACE_ORPHAN,
      spanId: '00000000000000c1',
      parentSpanId: '00000000000000ff', // never received
      name: 'late child',
      kind: 1,
      startTimeUnixNano: T0 + 60_000_000_000n,
      endTimeUnixNano: T0 + 60_002_000_000n,
      resource: back,
    }),
    span({
      traceId: TRACE_ORPHAN,
      spanId: '00000000000000c2',
      parentSpanId: '00000000000000c1',
      name: 'grandchild',
      kind: 0,
      startTimeUnixNano: T0 + 60_001_000_000n,
      endTimeUnixNano: T0 + 60_001_500_000n,
      resource: front,
    }),
  ];
  // 30 one-span traces of service "load", one second apart, 'i' ms long each.
  for (let i = 0; i < 30; i++) {
    spans.push(
      span({
        traceId: `d0000000000000000000000000000${String(i).padStart(3, '0')}`,
        spanId: `d0000000000000${String(i).padStart(2, '0')}`,
        name: i % 2 ? 'odd' : 'even',
        startTimeUnixNano: T0 + BigInt(i) * 1_000_000_000n,
        endTimeUnixNano: T0 + BigInt(i) * 1_000_000_000n + BigInt(i) * 1_000_000n,
        resource: resource('load'),
        attributes: [{ key: 'n', value: BigInt(i) }],
      }),
    );
  }
  return spans;
}
