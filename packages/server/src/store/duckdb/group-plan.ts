/**
 * Pass 1 over a group of writes, before anything reaches DuckDB: per trace its start-time range
 * and whether any of its spans could duplicate a stored one (then the whole trace takes the
 * probed path), each span's interned resource, scope and name, and its encoded attributes (names
 * and keys new to the dictionaries are stored before the rows that use them).
 */
import type { Span } from '@skein/model';
import { AttributeBytes } from './attr-bytes.js';
import type { Interner, ResourceEntry } from './interner.js';
import { Slicer } from './slicer.js';
import { type KeySet, spanKeyIn, traceKeyIn, traceWords } from './span-keys.js';

/** Pass 1 over a group: per trace its start range and whether it needs the duplicate probe. */
export interface Plan {
  traces: Map<string, TraceAcc>;
  accs: TraceAcc[];
  keys: number[];
  resources: ResourceEntry[];
  scopeIds: number[];
  /** Each span's name id, or undefined when the name is spelled out (interner.ts, MAX_NAMES). */
  ops: Array<number | undefined>;
  /** Encoded attributes as UTF-8: encoding may add keys to the dictionary, stored before the rows. */
  attrs: Uint8Array[];
  slowSpans: number;
  /** The start-time range of the spans that need the probe (when slowSpans > 0). */
  slowMin: bigint;
  slowMax: bigint;
}

export interface TraceAcc {
  min: bigint;
  max: bigint;
  /** The trace id's words, for span keys. */
  words: number[];
  /** Its key in the set of stored traces. */
  traceKey: number;
  /** The set of stored traces has it: its spans are checked against the stored span keys. */
  stored: boolean;
  /** A span of it may duplicate a stored one or another in the group: dedupe in SQL. */
  slow: boolean;
  spanIds: Set<string>;
  spans: number;
}

/** What the writer remembers of what is stored (span-keys.ts). */
export interface Remembered {
  spans: KeySet;
  traces: KeySet;
}

/** Yields to the event loop between slices (a group may hold tens of thousands of spans). */
export async function planGroup(
  group: Array<{ spans: Span[] }>,
  interner: Interner,
  known: Remembered,
  slicer = new Slicer(),
  attrBytes = new AttributeBytes(interner.keys),
): Promise<Plan> {
  attrBytes.reset();
  const traces = new Map<string, TraceAcc>();
  const spanFloor = known.spans.floorNs;
  const traceFloor = known.traces.floorNs;
  const accs: TraceAcc[] = [];
  const keys: number[] = [];
  const resources: ResourceEntry[] = [];
  const scopeIds: number[] = [];
  const ops: Array<number | undefined> = [];
  const attrs: Uint8Array[] = [];
  let slowSpans = 0;
  for (const p of group) {
    for (const s of p.spans) {
      if ((accs.length & 255) === 255 && slicer.due) await slicer.pause();
      let acc = traces.get(s.traceId);
      if (acc === undefined) {
        const words = traceWords(s.traceId);
        const traceKey = traceKeyIn(words);
        acc = { min: s.startTimeUnixNano, max: s.startTimeUnixNano, words, traceKey, stored: known.traces.has(traceKey), slow: false, spanIds: new Set(), spans: 0 };
        traces.set(s.traceId, acc);
      } else {
        if (s.startTimeUnixNano < acc.min) acc.min = s.startTimeUnixNano;
        if (s.startTimeUnixNano > acc.max) acc.max = s.startTimeUnixNano;
      }
      const key = spanKeyIn(acc.words, s.spanId);
      if (!acc.slow) {
        // A trace not stored since the trace floor has no stored span to repeat from then on.
        const mayBeStored = acc.stored ? s.startTimeUnixNano < spanFloor || known.spans.has(key) : s.startTimeUnixNano < traceFloor;
        if (mayBeStored || acc.spanIds.has(s.spanId)) acc.slow = true;
        else acc.spanIds.add(s.spanId);
      }
      acc.spans++;
      accs.push(acc);
      keys.push(key);
      resources.push(interner.resourceEntry(s.resource));
      scopeIds.push(interner.scopeId(s.scope));
      ops.push(interner.names.idOf(s.name));
      attrs.push(attrBytes.encode(s.attributes));
    }
  }
  let slowMin = 0n;
  let slowMax = 0n;
  for (const acc of traces.values()) {
    if (!acc.slow) continue;
    if (slowSpans === 0 || acc.min < slowMin) slowMin = acc.min;
    if (slowSpans === 0 || acc.max > slowMax) slowMax = acc.max;
    slowSpans += acc.spans;
  }
  return { traces, accs, keys, resources, scopeIds, ops, attrs, slowSpans, slowMin, slowMax };
}
