/**
 * RED metrics (rate, errors, duration) from Jaeger's Monitor API, `/api/metrics/*`, so the Monitor
 * page also works against a Jaeger query service with its metrics store.
 */
import { getJson } from './client.js';

/** Span kinds as the Monitor API names them; '' asks for every kind. */
export const SPAN_KINDS = ['', 'server', 'client', 'internal', 'producer', 'consumer', 'unspecified'] as const;

export interface RedRange {
  service: string;
  /** A span kind from SPAN_KINDS. */
  kind: string;
  endMs: number;
  lookbackMs: number;
  /** Width of one point: its rate, error ratio and quantiles cover the step before it. */
  stepMs: number;
  /**
   * With byOperation, only this operation's series. Skein answers just that one (a service may
   * have thousands of operations); a Jaeger backend ignores the filter and answers them all.
   */
  operation?: string;
}

/** One service's (operation '') or one operation's figures, a value per time; NaN where there were no calls. */
export interface RedSeries {
  operation: string;
  p50: number[];
  p95: number[];
  p99: number[];
  /** Calls per second. */
  rate: number[];
  /** Failed calls / calls, 0..1. */
  errors: number[];
}

export interface Red {
  /** The end of each point's step, ms since the epoch. */
  times: number[];
  series: RedSeries[];
}

interface MetricFamily {
  metrics?: { labels?: { name: string; value: string }[]; metricPoints?: { gaugeValue?: { doubleValue?: number | string }; timestamp: string }[] }[];
}

const QUANTILES = { p50: '0.5', p95: '0.95', p99: '0.99' } as const;

type Field = keyof Omit<RedSeries, 'operation'>;
const ALL_FIELDS: Field[] = ['p50', 'p95', 'p99', 'rate', 'errors'];

/** Service-wide series (`byOperation` false) or one series per operation; `fields` limits the requests. */
export async function getRed(r: RedRange, byOperation: boolean, signal?: AbortSignal, fields: Field[] = ALL_FIELDS): Promise<Red> {
  const q = new URLSearchParams({
    service: r.service,
    endTs: String(Math.round(r.endMs)),
    lookback: String(Math.round(r.lookbackMs)),
    step: String(Math.round(r.stepMs)),
    ratePer: String(Math.round(r.stepMs)),
    groupByOperation: String(byOperation),
  });
  for (const k of r.kind ? [r.kind] : SPAN_KINDS.slice(1)) q.append('spanKind', k);
  if (byOperation && r.operation) q.set('operation', r.operation);
  const url = (f: Field) =>
    f === 'rate' ? `/api/metrics/calls?${q}` : f === 'errors' ? `/api/metrics/errors?${q}` : `/api/metrics/latencies?quantile=${QUANTILES[f]}&${q}`;
  const families = await Promise.all(fields.map((f) => getJson<MetricFamily>(url(f), signal)));
  const times = (families[0]?.metrics?.[0]?.metricPoints ?? []).map((p) => Date.parse(p.timestamp));
  const byOp = new Map<string, RedSeries>();
  fields.forEach((field, i) => {
    for (const m of families[i]!.metrics ?? []) {
      const operation = m.labels?.find((l) => l.name === 'operation')?.value ?? '';
      let s = byOp.get(operation);
      if (!s) byOp.set(operation, (s = { operation, p50: [], p95: [], p99: [], rate: [], errors: [] }));
      s[field] = (m.metricPoints ?? []).map((p) => Number(p.gaugeValue?.doubleValue ?? NaN));
    }
  });
  // A series the store had no spans for comes back without points: make every array full length.
  const full = (v: number[]) => (v.length === times.length ? v : times.map(() => NaN));
  const series = [...byOp.values()].map((s) => ({ ...s, p50: full(s.p50), p95: full(s.p95), p99: full(s.p99), rate: full(s.rate), errors: full(s.errors) }));
  return { times, series };
}

/** Whole seconds per point so that a range has at most ~120 points. */
export function stepFor(lookbackMs: number): number {
  const steps = [10e3, 30e3, 60e3, 5 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3, 6 * 3600e3];
  return steps.find((s) => lookbackMs / s <= 120) ?? steps[steps.length - 1]!;
}

/** How an operation usually performs: its calls and latency quantiles over one window. */
export interface Typical {
  calls: number;
  p50: number;
  p95: number;
}

/**
 * The operation's calls, p50 and p95 (ms) over the hour before `endMs`, all span kinds; null when
 * it had no calls then. Rejects when the backend has no metrics. Answers are kept (up to 200):
 * the spans of one operation in a trace ask with the same end, and keyboard navigation asks often.
 */
export function getTypical(service: string, operation: string, endMs: number): Promise<Typical | null> {
  const key = `${service}\0${operation}\0${endMs}`;
  let p = typicalCache.get(key);
  if (!p) {
    p = typicalOf(service, operation, endMs);
    p.catch(() => typicalCache.delete(key));
    if (typicalCache.size >= 200) typicalCache.delete(typicalCache.keys().next().value!);
    typicalCache.set(key, p);
  }
  return p;
}

const typicalCache = new Map<string, Promise<Typical | null>>();

async function typicalOf(service: string, operation: string, endMs: number): Promise<Typical | null> {
  const hour = 3600e3;
  const red = await getRed({ service, kind: '', endMs, lookbackMs: hour, stepMs: hour, operation }, true, undefined, ['rate', 'p50', 'p95']);
  const s = red.series.find((x) => x.operation === operation);
  const last = (v: number[] | undefined) => v?.[v.length - 1] ?? NaN;
  const calls = Math.round((last(s?.rate) * hour) / 1000);
  return s && calls > 0 ? { calls, p50: last(s.p50), p95: last(s.p95) } : null;
}
