/** Messages between the page and the trace worker (which parses, builds and keeps full span detail). */
import type { Format } from '../parse/detect.js';
import type { ParsedSpan, Trace } from '../trace/model.js';

export type Request =
  | { type: 'fetch'; url: string; traceId: string }
  | { type: 'text'; text: string }
  | { type: 'detail'; key: string; index: number }
  | { type: 'find'; key: string; query: string }
  | { type: 'otlp'; key: string }
  | { type: 'crit'; key: string };

/** Critical-path segments as columns (span index, start, end in ns from the trace base). */
export interface CritColumns {
  span: Int32Array;
  start: Float64Array;
  end: Float64Array;
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
