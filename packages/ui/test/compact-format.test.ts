/** The compact trace format end to end: the server's encoder, the worker's decoder, and the radix order. */
import { describe, expect, it } from 'vitest';
import type { Span } from '@skein/model';
import { encodeSkeinTrace } from '../../server/src/query/skein.js';
import { decodeCompact } from '../src/worker/compact.js';
import { orderByKey } from '../src/trace/sortIndex.js';
import { buildTrace } from '../src/trace/tree.js';
import type { ParsedSpan } from '../src/trace/model.js';
import { KIND_NAMES } from '../src/trace/model.js';

const T0 = 1_700_000_000_123_456_789n;
const resource = (service: string) => ({ attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0, schemaUrl: '' });
const scope = { name: 'test', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

/** A random tree of n spans (parents before children in id order, shuffled), plus one orphan. */
function spans(n: number): Span[] {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
  const svc = [resource('api'), resource('db'), resource('cache')];
  const out: Span[] = [];
  for (let i = 0; i < n; i++) {
    const start = T0 + BigInt(Math.floor(rand() * 1e9));
    out.push({
      traceId: 'ab'.repeat(16), spanId: id(i), parentSpanId: i === 0 ? '' : i === n - 1 ? 'ffffffffffffffff' : id(Math.floor(rand() * i)),
      traceState: '', flags: 0, name: `op${i % 5}`, kind: (i % 6) as Span['kind'],
      startTimeUnixNano: start, endTimeUnixNano: start + BigInt(Math.floor(rand() * 1e6)),
      attributes: [], droppedAttributesCount: 0, droppedEventsCount: 0, links: [], droppedLinksCount: 0,
      events: i % 7 === 0 ? [{ timeUnixNano: start + 5n, name: 'e', attributes: [], droppedAttributesCount: 0 }] : [],
      status: { code: i % 11 === 0 ? 2 : 0, message: '' }, resource: svc[i % 3]!, scope,
    });
  }
  return out.sort(() => rand() - 0.5);
}

const asParsed = (s: Span): ParsedSpan => ({
  traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: KIND_NAMES[s.kind]!,
  service: String(s.resource.attributes[0]!.value), startNs: s.startTimeUnixNano, endNs: s.endTimeUnixNano,
  attributes: [], resource: [], scope: '', links: [], status: { code: s.status.code === 2 ? 'ERROR' : 'UNSET', message: '' },
  events: s.events.map((e) => ({ timeNs: e.timeUnixNano, name: e.name, attributes: [] })),
});

describe('compact trace format', () => {
  it('decodes to the same Trace as parsing the spans (5,000 spans, shuffled, one orphan)', () => {
    const input = spans(5000);
    const body = encodeSkeinTrace(input);
    const got = decodeCompact(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    const want = buildTrace(input.map(asParsed));
    for (const k of ['traceId', 'baseNs', 'duration', 'n', 'spanIds', 'names', 'services', 'orphans', 'maxDepth'] as const) expect(got[k]).toEqual(want[k]);
    for (const k of ['parent', 'start', 'dur', 'nameIdx', 'svcIdx', 'kind', 'error', 'depth', 'order', 'pos', 'size', 'childStart', 'childList', 'eventStart', 'eventTime'] as const) {
      expect(Array.from(got[k]), k).toEqual(Array.from(want[k]));
    }
    expect(got.orphans).toBe(1);
  });

  it('names a body that is not the format', () => {
    expect(() => decodeCompact(new TextEncoder().encode('{"data":null}').buffer as ArrayBuffer)).toThrow(/unknown format/);
  });
});

describe('orderByKey', () => {
  it('sorts like a stable comparator sort, ties by index, at radix sizes', () => {
    const keys = new Float64Array(20_000);
    for (let i = 0; i < keys.length; i++) keys[i] = i % 97 === 0 ? 42 : Math.floor(Math.abs(Math.sin(i)) * 2 ** 40);
    const want = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || a - b);
    expect(Array.from(orderByKey(keys))).toEqual(want);
  });
});
