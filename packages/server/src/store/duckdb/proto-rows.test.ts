/**
 * ProtoRows reads a request into exactly the rows the store's thread makes of decodeOtlpProto's
 * spans, for canonical encodings and for legal but unusual ones (fields in any order, repeated
 * singular fields, unknown fields, legacy field numbers, invalid UTF-8); and it never takes a
 * request the decoder refuses or rejects spans of.
 */
import fc from 'fast-check';
import { decodeOtlpProto, encodeOtlpProto, ProtoReader, ProtoWriter, type Span } from '@skein/model';
import { describe, expect, it } from 'vitest';
import { spansArb } from '../../../../model/src/otlp/test-support/arbitrary.js';
import { makeRealisticSpans, prng } from '../../../../model/src/otlp/test-support/realistic.js';
import { encodeAttributes, encodeExtra } from './codec.js';
import { Interner } from './interner.js';
import { ProtoRows } from './proto-rows.js';
import { spanKey, traceKeyIn, traceWords } from './span-keys.js';
import { columnOffsets, copiedDictionaries, NULL_TEXT, type WorkerRows } from './worker-rows.js';

const hex8 = (w: number) => (w >>> 0).toString(16).padStart(8, '0');
const bytesHex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** The rows as plain values: ids in hex, texts as the hex of their bytes. */
function rowsOf(r: WorkerRows): unknown[] {
  const at = columnOffsets(r.n);
  const u32 = (name: 'trace' | 'span' | 'parent' | 'svc' | 'op' | 'flags', per: number) => new Uint32Array(r.columns, at[name], r.n * per);
  const [trace, span, parent, svc, op, flags] = [u32('trace', 4), u32('span', 2), u32('parent', 2), u32('svc', 1), u32('op', 1), u32('flags', 1)];
  const start = new BigInt64Array(r.columns, at.start, r.n);
  const dur = new BigInt64Array(r.columns, at.dur, r.n);
  const kind = new Uint8Array(r.columns, at.kind, r.n);
  const status = new Uint8Array(r.columns, at.status, r.n);
  const res = new Int32Array(r.columns, at.res, r.n);
  const scope = new Int32Array(r.columns, at.scope, r.n);
  const text = (i: number, which: number) => {
    const [off, len] = [r.texts[i * 8 + which * 2]!, r.texts[i * 8 + which * 2 + 1]!];
    return len === NULL_TEXT ? null : Buffer.from(r.bytes.subarray(off, off + len)).toString('hex');
  };
  return Array.from({ length: r.n }, (_, i) => {
    const traceId = hex8(trace[i * 4 + 3]!) + hex8(trace[i * 4 + 2]!) + hex8(trace[i * 4 + 1]!) + hex8(trace[i * 4]!);
    const spanId = hex8(span[i * 2 + 1]!) + hex8(span[i * 2]!);
    return {
      traceId, spanId, parent: r.hasParent[i] ? hex8(parent[i * 2 + 1]!) + hex8(parent[i * 2]!) : null,
      start: start[i], dur: dur[i], svc: svc[i], res: res[i], scope: scope[i], op: text(i, 2) === null ? op[i] : null,
      kind: kind[i], status: status[i], flags: flags[i], attrs: text(i, 0), extra: text(i, 1), name: text(i, 2), msg: text(i, 3),
      keys: [r.keys[i * 2], r.keys[i * 2 + 1]],
    };
  });
}

/** What the store's thread makes of the same spans (planGroup, SpanChunk), as rowsOf gives it. */
function expectedRows(spans: Span[], interner: Interner): unknown[] {
  return spans.map((s) => {
    const r = interner.knownResource(s.resource)!;
    const op = interner.names.known(s.name);
    const extra = encodeExtra(s);
    return {
      traceId: s.traceId, spanId: s.spanId, parent: s.parentSpanId === '' ? null : s.parentSpanId,
      start: BigInt.asIntN(64, s.startTimeUnixNano), dur: BigInt.asIntN(64, s.endTimeUnixNano - s.startTimeUnixNano),
      svc: r.svc, res: r.id, scope: interner.knownScope(s.scope), op: op ?? null,
      kind: s.kind & 0xff, status: s.status.code & 0xff, flags: s.flags >>> 0,
      attrs: bytesHex(encodeAttributes(s.attributes, interner.keys)), extra: extra === null ? null : bytesHex(extra),
      name: op === undefined ? bytesHex(s.name) : null, msg: bytesHex(s.status.message),
      keys: [spanKey(s.traceId, s.spanId), traceKeyIn(traceWords(s.traceId))],
    };
  });
}

/** Per trace: its id, key and earliest and latest start (unsigned, as sent, then stored as BIGINT). */
function expectedTraces(spans: Span[]): unknown[] {
  const t = new Map<string, [bigint, bigint]>();
  for (const s of spans) {
    const [min, max] = t.get(s.traceId) ?? [s.startTimeUnixNano, s.startTimeUnixNano];
    t.set(s.traceId, [s.startTimeUnixNano < min ? s.startTimeUnixNano : min, s.startTimeUnixNano > max ? s.startTimeUnixNano : max]);
  }
  return [...t].map(([id, [min, max]]) => [id, traceKeyIn(traceWords(id)), BigInt.asIntN(64, min), BigInt.asIntN(64, max)]);
}
const tracesOf = (r: WorkerRows): unknown[] => r.traceIds.map((id, k) => [id, r.traceKeys[k], r.traceStarts[k * 2], r.traceStarts[k * 2 + 1]]);

/** The store's dictionaries after storing these spans, and a worker's copy of them. */
function dictionariesFor(spans: Span[], maxNames?: number): { interner: Interner; rows: ProtoRows } {
  const interner = new Interner(maxNames);
  for (const s of spans) {
    interner.names.idOf(s.name);
    interner.resourceEntry(s.resource);
    interner.scopeId(s.scope);
    for (const kv of s.attributes) interner.keys.head(kv.key);
  }
  interner.commit();
  const copy = new Interner(maxNames);
  copy.restore(interner.snapshot());
  return { interner, rows: new ProtoRows(copiedDictionaries(copy)) };
}

/** Checks ProtoRows against decoding for one body: the same rows, or a refusal where decoding refuses or rejects. */
function checkBody(body: Uint8Array, maxNames?: number): 'taken' | 'refused' {
  let spans: Span[] | undefined;
  let rejected = 0;
  try {
    ({ spans, rejected } = decodeOtlpProto(body));
  } catch {
    // malformed: ProtoRows must refuse it too
  }
  const { interner, rows } = dictionariesFor(spans ?? [], maxNames);
  let got: WorkerRows | undefined;
  try {
    got = rows.rows(body);
  } catch {
    // refused: the store's thread takes it
  }
  const repeats = spans !== undefined && new Set(spans.map((s) => spanKey(s.traceId, s.spanId))).size < spans.length;
  if (spans === undefined || rejected > 0 || spans.length === 0 || repeats) {
    expect(got).toBeUndefined();
    return 'refused';
  }
  expect(got).toBeDefined();
  expect(rowsOf(got!)).toEqual(expectedRows(spans, interner));
  expect(tracesOf(got!)).toEqual(expectedTraces(spans));
  return 'taken';
}

/** Field numbers holding messages, per message type (OTLP trace.proto, common.proto). */
const MESSAGES: Record<string, Record<number, string>> = {
  request: { 1: 'resourceSpans' },
  resourceSpans: { 1: 'resource', 2: 'scopeSpans', 1000: 'scopeSpans' },
  resource: { 1: 'keyValue' },
  scopeSpans: { 1: 'scope', 2: 'span' },
  scope: { 3: 'keyValue' },
  span: { 9: 'keyValue', 11: 'event', 13: 'link', 15: 'status' },
  event: { 3: 'keyValue' },
  link: { 4: 'keyValue' },
  status: {},
  keyValue: { 2: 'anyValue' },
  anyValue: { 5: 'arrayValue', 6: 'kvList' },
  arrayValue: { 1: 'anyValue' },
  kvList: { 1: 'keyValue' },
};

type Rand = () => number;
const field = (write: (w: ProtoWriter) => void): Uint8Array => {
  const w = new ProtoWriter();
  write(w);
  return w.finish();
};
const randomBytes = (rand: Rand, n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));

/** Earlier values of singular fields, which the last one overrides (for AnyValue, its oneof). */
const DECOYS: Record<string, Record<number, (rand: Rand) => Uint8Array>> = {
  span: {
    1: (rand) => field((w) => w.bytes(1, randomBytes(rand, rand() < 0.5 ? 16 : 5))),
    2: (rand) => field((w) => w.bytes(2, randomBytes(rand, 8))),
    3: () => field((w) => w.string(3, 'decoy=1')),
    4: (rand) => field((w) => w.bytes(4, randomBytes(rand, 8))),
    5: () => field((w) => w.string(5, 'decoy')),
    6: () => field((w) => w.uint32(6, 4)),
    7: (rand) => field((w) => w.fixed64(7, BigInt(Math.floor(rand() * 1e15)))),
    8: (rand) => field((w) => w.fixed64(8, BigInt(Math.floor(rand() * 1e15)))),
    16: () => field((w) => w.fixed32(16, 0xffffffff)),
  },
  status: { 2: () => field((w) => w.string(2, 'decoy')), 3: () => field((w) => w.uint32(3, 1)) },
  keyValue: { 1: () => field((w) => w.string(1, 'decoy.key')) },
  anyValue: {
    1: () => field((w) => w.int64(3, -7n)),
    2: () => field((w) => w.string(1, 'decoy')),
    3: () => field((w) => w.double(4, 0.5)),
    4: () => field((w) => w.bool(2, true)),
  },
};

/** Bytes appended to some strings: invalid UTF-8, a BOM, separators, characters JSON escapes. */
const ODD_BYTES = [[0xff], [0xc3], [0xef, 0xbb, 0xbf], [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80], [0x1d, 0x1e, 0x1f], [0x22, 0x5c, 0x0a], [0xc3, 0xa9]];
const STRINGS: Record<string, number[]> = { span: [3, 5], status: [2], keyValue: [1], anyValue: [1], event: [2] };

function oddField(rand: Rand): Uint8Array {
  switch (Math.floor(rand() * 5)) {
    case 0:
      return field((w) => w.uint64(99, BigInt(Math.floor(rand() * 2 ** 40))));
    case 1:
      return field((w) => w.fixed64(99, 5n));
    case 2:
      return field((w) => w.bytes(99, randomBytes(rand, 3)));
    case 3:
      return field((w) => w.fixed32(99, 7));
    default:
      return field((w) => {
        w.tag(99, 3);
        w.uint32(1, 1);
        w.tag(99, 4);
      });
  }
}

/**
 * The same message encoded unusually: fields interleaved in any order that keeps each field's
 * own order, unknown fields and decoys added, scope_spans sometimes under its legacy number,
 * and some strings given odd bytes.
 */
function noisy(buf: Uint8Array, type: string, rand: Rand): Uint8Array {
  const r = new ProtoReader(buf);
  const queues = new Map<number, Uint8Array[]>();
  const push = (n: number, b: Uint8Array) => queues.set(n, [...(queues.get(n) ?? []), b]);
  while (r.pos < r.end) {
    const at = r.pos;
    const tag = r.tag();
    let n = tag >>> 3;
    const sub = MESSAGES[type]![n];
    let bytes: Uint8Array;
    if (sub && (tag & 7) === 2) {
      const inner = noisy(r.bytes(), sub, rand);
      if (type === 'resourceSpans' && n === 2 && rand() < 0.3) n = 1000;
      bytes = field((w) => w.bytes(n, inner));
    } else if (STRINGS[type]?.includes(n) && (tag & 7) === 2 && rand() < 0.15) {
      const odd = ODD_BYTES[Math.floor(rand() * ODD_BYTES.length)]!;
      bytes = field((w) => w.bytes(n, Uint8Array.from([...r.bytes(), ...odd])));
    } else {
      r.skip(tag & 7);
      bytes = buf.slice(at, r.pos);
    }
    if (rand() < 0.1) push(99, oddField(rand));
    const decoy = DECOYS[type]?.[n];
    if (decoy && rand() < 0.25) push(n, decoy(rand));
    push(n, bytes);
  }
  const parts: Uint8Array[] = [];
  for (let left = [...queues.values()]; left.length > 0; left = left.filter((q) => q.length > 0)) {
    parts.push(left[Math.floor(rand() * left.length)]!.shift()!);
  }
  return Buffer.concat(parts);
}

/** Strings with separators, JSON escapes and non-ASCII in names, messages, attribute values and events. */
const oddString = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\x1d', '\x1e', '\x1f', '"', '\\', '\n', '\x00', '\x7f', 'é', '😀'), maxLength: 8 });
const plainString = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '.', '\x7f'), maxLength: 8 });
const oddSpans = fc.tuple(spansArb, fc.array(oddString, { minLength: 3, maxLength: 3 }), fc.array(plainString, { minLength: 3, maxLength: 3 }), fc.double()).map(([spans, odd, plain, d]) =>
  spans.map((s, i): Span => {
    if (i % 2) return s;
    // Every other one of these has events alone, in plain ASCII, as most spans with any extra have.
    const [a, b, c] = i % 4 ? odd : plain;
    const event = { timeUnixNano: s.endTimeUnixNano, name: b!, droppedAttributesCount: i, attributes: [{ key: c!, value: a! }, { key: 'i', value: -5n }, { key: 'd', value: i % 4 ? d : 2.5 }, { key: 'b', value: true }, { key: 'z', value: null }] };
    const changed: Span = { ...s, name: a!, status: { ...s.status, message: b! }, attributes: [...s.attributes, { key: c!, value: a! + c! }, { key: 'list', value: [a!, b!, c!] }] };
    if (i % 4) return { ...changed, events: [...s.events, event] };
    return { ...changed, events: [event, { ...event, name: a!, attributes: [] }], traceState: '', droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, links: [] };
  }),
);

describe('ProtoRows', () => {
  it('reads canonical requests into the rows the store makes of their decoded spans', () => {
    fc.assert(fc.property(fc.oneof(spansArb, oddSpans), (spans) => void checkBody(encodeOtlpProto(spans))), { numRuns: 300 });
  });

  it('reads realistic requests, with names spelled out once the dictionary is full', () => {
    const body = encodeOtlpProto(makeRealisticSpans(500, 9));
    expect(checkBody(body)).toBe('taken');
    expect(checkBody(body, 3)).toBe('taken');
  });

  it('reads a request bigger than the buffers it keeps, and the next one after it', () => {
    const big = makeRealisticSpans(70_000, 5);
    const small = makeRealisticSpans(300, 6);
    const { interner, rows } = dictionariesFor([...big, ...small]);
    for (const body of [big, small, big].map((spans) => encodeOtlpProto(spans))) {
      // The encoder groups spans by resource: compare in the order decoding gives.
      const { spans } = decodeOtlpProto(body);
      const got = rows.rows(body);
      expect(rowsOf(got)).toEqual(expectedRows(spans, interner));
      expect(tracesOf(got)).toEqual(expectedTraces(spans));
    }
  });

  it('reads unusual but legal encodings as decoding does', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(spansArb, oddSpans), fc.integer(), (spans, seed) => {
        const body = noisy(encodeOtlpProto(spans), 'request', prng(seed));
        if (checkBody(body) === 'taken') taken++;
      }),
      { numRuns: 300 },
    );
    // Most are taken; decoys of ids and odd keys make some spans rejected or repeated.
    expect(taken).toBeGreaterThan(100);
  });

  it('never takes a request that decoding refuses or rejects spans of (mutated bytes)', () => {
    const realistic = encodeOtlpProto(makeRealisticSpans(20, 4));
    const outcomes = { taken: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), (flips) => {
        const body = Uint8Array.from(realistic);
        for (const [at, v] of flips) body[at % body.length] = v;
        outcomes[checkBody(body)]++;
      }),
      { numRuns: 400 },
    );
    expect(outcomes.taken).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});
