/** Messages between the page and the trace worker (which parses, builds and keeps full span detail). */
import type { Format } from '../parse/detect.js';
import type { ParsedSpan, Trace } from '../trace/model.js';

export type Request =
  /**
   * `url` answers OTLP JSON; `compactUrl` (tried first) the compact columns, with `spanUrl`
   * (`{spanId}` in it) for one span's detail.
   */
  | { type: 'fetch'; url: string; traceId: string; compactUrl?: string; spanUrl?: string; preloaded?: Preloaded }
  | { type: 'text'; text: string }
  | { type: 'detail'; key: string; index: number }
  | { type: 'find'; key: string; query: string }
  | { type: 'otlp'; key: string }
  | { type: 'crit'; key: string };

/** An answer from compactUrl the page already has (fetched while the app booted). */
export interface Preloaded {
  status: number;
  type: string;
  /** The x-skein-api header was there (the answer is from the endpoint, not a fallback page). */
  skein: boolean;
  bytes: ArrayBuffer;
}

/**
 * Critical-path segments grouped by span (CSR): span i owns segments offset[i] .. offset[i+1],
 * with start/end in ns from the trace base. Typed arrays, so even a path through a million
 * spans reaches the page without a copy and without building a Map there.
 */
export interface CritColumns {
  offset: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

/** The segments of span i, or undefined when it is off the path. */
export function critOf(c: CritColumns, i: number): { start: number; end: number }[] | undefined {
  const a = c.offset[i]!, b = c.offset[i + 1]!;
  if (a === b) return undefined;
  const out = [];
  for (let k = a; k < b; k++) out.push({ start: c.start[k]!, end: c.end[k]! });
  return out;
}

/** A trace the worker holds; `key` names it in later requests (detail, find, crit, otlp). */
export interface Loaded {
  key: string;
  trace: Trace;
}

export type Response =
  | { ok: true; traces: Loaded[]; format: Format }
  | { ok: true; span: ParsedSpan }
  | { ok: true; matches: Int32Array }
  | { ok: true; json: string };

export interface Envelope<T> {
  id: number;
  ok: boolean;
  body?: T;
  error?: string;
  status?: number;
}
