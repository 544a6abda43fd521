/** The UI's trace model: parsed spans with full detail, and the compact columnar skeleton views draw from. */

/** An attribute with its type kept and its value already rendered as display text. */
export interface Attr {
  key: string;
  type: 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'array' | 'kvlist' | 'null';
  value: string;
}

export type KindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export const KIND_NAMES: KindName[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export interface ParsedEvent {
  timeNs: bigint;
  name: string;
  attributes: Attr[];
}

export interface ParsedLink {
  traceId: string;
  spanId: string;
  attributes: Attr[];
}

/** One span as a parser produced it (any input format), with exact ns times. */
export interface ParsedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: KindName;
  service: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Attr[];
  resource: Attr[];
  scope: string;
  events: ParsedEvent[];
  links: ParsedLink[];
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message: string };
}

/**
 * A trace as columns, indexed by span number. Typed arrays so a million spans move between the
 * worker and the page without copying, and loops over them stay fast.
 */
export interface Trace {
  traceId: string;
  /** Earliest span start, ns since the epoch, as a decimal string (exact). */
  baseNs: string;
  /** Latest end minus earliest start, ns. */
  duration: number;
  n: number;
  /** Every span id (16 hex digits each) concatenated: one string crosses from the worker far faster than a million. */
  spanIds: string;
  /** Index of the parent span, or -1 for a root (or an orphan whose parent is missing). */
  parent: Int32Array;
  /** Start relative to baseNs, ns (a double holds 104 days of ns exactly). */
  start: Float64Array;
  dur: Float64Array;
  nameIdx: Int32Array;
  names: string[];
  svcIdx: Int32Array;
  services: string[];
  kind: Uint8Array;
  error: Uint8Array;
  depth: Int32Array;
  /** Spans in depth-first order, children by start time. */
  order: Int32Array;
  /** Position of each span in `order`. */
  pos: Int32Array;
  /** Number of descendants of each span (a subtree spans order[pos .. pos+size]). */
  size: Int32Array;
  /** Children in CSR form: children of i are childList[childStart[i] .. childStart[i+1]). */
  childStart: Int32Array;
  childList: Int32Array;
  /** Event times relative to baseNs in CSR form (for ticks on the bars). */
  eventStart: Int32Array;
  eventTime: Float64Array;
  /** Spans whose parent id names a span that is not in the trace. */
  orphans: number;
  maxDepth: number;
}

/** Summary of one trace as a search result. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startNs: bigint;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  services: { name: string; spanCount: number; errorCount: number }[];
}

export function spanName(t: Trace, i: number): string {
  return t.names[t.nameIdx[i]!]!;
}

export function spanService(t: Trace, i: number): string {
  return t.services[t.svcIdx[i]!]!;
}

export function spanIdAt(t: Trace, i: number): string {
  return t.spanIds.slice(i * 16, i * 16 + 16);
}

/** Index of the span with this id, or -1. */
export function spanIndex(t: Trace, id: string): number {
  const want = id.toLowerCase();
  if (want.length !== 16) return -1;
  for (let at = t.spanIds.indexOf(want); at >= 0; at = t.spanIds.indexOf(want, at + 1)) if (at % 16 === 0) return at / 16;
  return -1;
}
