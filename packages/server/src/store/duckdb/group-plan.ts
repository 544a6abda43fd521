/**
 * Pass 1 over a group of writes, before anything reaches DuckDB: per trace its start-time range
 * and whether any of its spans could duplicate a stored one (then the whole trace takes the
 * probed path), each span's interned resource and scope, and its encoded attributes (encoding
 * may add keys to the dictionary, which are stored before the rows that use them).
 */
import type { Span } from '@skein/model';
import { encodeAttributes } from './codec.js';
import type { Interner, ResourceEntry } from './interner.js';
import { type SpanKeySet, spanKeyIn, traceWords } from './span-keys.js';

/** Pass 1 over a group: per trace its start range and whether it needs the duplicate probe. */
export interface Plan {
  traces: Map<string, TraceAcc>;
  accs: TraceAcc[];
  keys: number[];
  resources: ResourceEntry[];
  scopeIds: number[];
  /** Encoded attributes: encoding may add keys to the dictionary, stored before the rows. */
  attrs: string[];
  slowSpans: number;
}

export interface TraceAcc {
  min: bigint;
  max: bigint;
  /** The trace id's words, for span keys. */
  words: number[];
  /** A span of it may duplicate a stored one or another in the group: dedupe in SQL. */
  slow: boolean;
  spanIds: Set<string>;
  spans: number;
}

export function planGroup(group: Array<{ spans: Span[] }>, interner: Interner, known: SpanKeySet): Plan {
  const traces = new Map<string, TraceAcc>();
  const floor = known.floorNs;
  const accs: TraceAcc[] = [];
  const keys: number[] = [];
  const resources: ResourceEntry[] = [];
  const scopeIds: number[] = [];
  const attrs: string[] = [];
  const dictionary = interner.keys;
  let slowSpans = 0;
  for (const p of group) {
    for (const s of p.spans) {
      let acc = traces.get(s.traceId);
      if (acc === undefined) {
        acc = { min: s.startTimeUnixNano, max: s.startTimeUnixNano, words: traceWords(s.traceId), slow: false, spanIds: new Set(), spans: 0 };
        traces.set(s.traceId, acc);
      } else {
        if (s.startTimeUnixNano < acc.min) acc.min = s.startTimeUnixNano;
        if (s.startTimeUnixNano > acc.max) acc.max = s.startTimeUnixNano;
      }
      const key = spanKeyIn(acc.words, s.spanId);
      if (!acc.slow) {
        if (acc.spanIds.has(s.spanId) || s.startTimeUnixNano < floor || known.has(key)) acc.slow = true;
        else acc.spanIds.add(s.spanId);
      }
      acc.spans++;
      accs.push(acc);
      keys.push(key);
      resources.push(interner.resourceEntry(s.resource));
      scopeIds.push(interner.scopeId(s.scope));
      attrs.push(encodeAttributes(s.attributes, dictionary));
    }
  }
  for (const acc of traces.values()) if (acc.slow) slowSpans += acc.spans;
  return { traces, accs, keys, resources, scopeIds, attrs, slowSpans };
}
