/** Deterministic realistic spans (services, HTTP/DB attributes, events, errors, trees) for tests and benchmarks. */

import type { KeyValue, Resource, Scope, Span } from '../../span.js';

/** mulberry32: small, fast, seedable; the same seed gives the same numbers everywhere (bench/dataset.ts too). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  { name: 'frontend', ops: ['GET /', 'GET /api/cart', 'POST /api/checkout', 'GET /api/products/{id}'] },
  { name: 'checkout', ops: ['PlaceOrder', 'ChargeCard', 'ShipOrder'] },
  { name: 'cart', ops: ['GetCart', 'AddItem', 'EmptyCart'] },
  { name: 'catalog', ops: ['ListProducts', 'GetProduct', 'SearchProducts'] },
  { name: 'kata-agent', ops: ['CreateContainer', 'StartContainer', 'ExecProcess', 'WaitProcess'] },
  { name: 'postgres', ops: ['SELECT orders', 'INSERT orders', 'UPDATE inventory'] },
];

function hexOf(rand: () => number, digits: number): string {
  let s = '';
  while (s.length < digits) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  s = s.slice(0, digits);
  return /^0+$/.test(s) ? '1'.padStart(digits, '0') : s;
}

/**
 * `spanCount` spans in traces of 5..30 spans over several services. Spans of one service share
 * one Resource and Scope object, as a decoded batch would. Same seed, same spans.
 */
export function makeRealisticSpans(spanCount: number, seed = 1): Span[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const resources = new Map<string, { resource: Resource; scope: Scope }>();
  for (const svc of SERVICES) {
    const resource: Resource = {
      attributes: [
        { key: 'service.name', value: svc.name },
        { key: 'service.version', value: '1.4.2' },
        { key: 'host.name', value: `node-${svc.name}-7d9f` },
        { key: 'process.pid', value: BigInt(1000 + Math.floor(rand() * 30000)) },
        { key: 'telemetry.sdk.language', value: 'nodejs' },
        { key: 'telemetry.sdk.name', value: 'opentelemetry' },
      ],
      droppedAttributesCount: 0,
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    };
    const scope: Scope = { name: `@skein/${svc.name}`, version: '0.1.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
    resources.set(svc.name, { resource, scope });
  }
  const spans: Span[] = [];
  let t = 1_700_000_000_000_000_000n + BigInt(seed) * 1_000_000_007n;
  while (spans.length < spanCount) {
    const traceId = hexOf(rand, 32);
    const size = Math.min(spanCount - spans.length, 5 + Math.floor(rand() * 26));
    const ids: string[] = [];
    const starts: bigint[] = [];
    t += BigInt(Math.floor(rand() * 5e8));
    for (let i = 0; i < size; i++) {
      const svc = i === 0 ? SERVICES[0]! : pick(SERVICES);
      const parent = i === 0 ? -1 : Math.floor(rand() * i);
      const start = parent < 0 ? t : starts[parent]! + BigInt(Math.floor(rand() * 2e6)) + 123n;
      const dur = BigInt(Math.floor(rand() * 5e7) + 10_000);
      const error = rand() < 0.05;
      const spanId = hexOf(rand, 16);
      ids.push(spanId);
      starts.push(start);
      const attrs: KeyValue[] = [];
      if (svc.name === 'postgres') {
        attrs.push({ key: 'db.system', value: 'postgresql' }, { key: 'db.statement', value: 'SELECT * FROM orders WHERE id = $1 AND customer_id = $2' }, { key: 'db.rows_affected', value: BigInt(Math.floor(rand() * 50)) });
      } else {
        attrs.push(
          { key: 'http.request.method', value: pick(['GET', 'POST', 'PUT']) },
          { key: 'url.path', value: `/api/v1/items/${Math.floor(rand() * 10000)}` },
          { key: 'http.response.status_code', value: BigInt(error ? 500 : 200) },
          { key: 'server.address', value: `${svc.name}.default.svc.cluster.local` },
          { key: 'net.peer.port', value: 8080n },
        );
        if (rand() < 0.3) attrs.push({ key: 'sampling.ratio', value: 0.25 }, { key: 'retry', value: rand() < 0.5 });
        if (rand() < 0.1) attrs.push({ key: 'http.request.header.accept', value: ['application/json', 'text/plain'] });
      }
      const events = error
        ? [{ timeUnixNano: start + dur / 2n, name: 'exception', attributes: [{ key: 'exception.type', value: 'Error' }, { key: 'exception.message', value: 'connection reset by peer' }], droppedAttributesCount: 0 }]
        : rand() < 0.2
          ? [{ timeUnixNano: start + 1000n, name: 'cache.miss', attributes: [], droppedAttributesCount: 0 }]
          : [];
      const { resource, scope } = resources.get(svc.name)!;
      spans.push({
        traceId, spanId, parentSpanId: parent < 0 ? '' : ids[parent]!, traceState: '', flags: 1,
        name: pick(svc.ops), kind: (i === 0 ? 2 : pick([1, 2, 3, 3])) as Span['kind'],
        startTimeUnixNano: start, endTimeUnixNano: start + dur, attributes: attrs, droppedAttributesCount: 0,
        events, droppedEventsCount: 0, links: [], droppedLinksCount: 0,
        status: error ? { code: 2, message: 'connection reset by peer' } : { code: 0, message: '' },
        resource, scope,
      });
    }
  }
  return spans;
}
