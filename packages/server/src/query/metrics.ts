/**
 * Jaeger's Monitor API (`/api/metrics/{latencies,calls,errors}`): RED metrics computed from the
 * stored spans with the store's `getRedMetrics` aggregate, answered as Jaeger's MetricFamily.
 *
 * Semantics follow Jaeger's Prometheus reader (`rate(x[ratePer])` evaluated every `step` from
 * `endTs - lookback` to `endTs`): the point at time t covers spans that started in
 * [t - ratePer, t) for calls (calls/s) and errors (errors / calls, NaN with no calls), and in
 * [t - step, t) for latencies (the quantile of durations in ms, NaN with no spans; quantiles do
 * not merge across buckets, so this is the per-step figure Jaeger's Elasticsearch reader gives).
 * A store without `getRedMetrics` answers a valid, empty MetricFamily.
 */
import { ApiError, badParam } from './http.js';
import { boolParam, epochParam, intParam } from './params.js';
import { envelope } from './route.js';
import type { RequestContext, Route } from './route.js';
import type { RedPoint, RedQuery, Store, TraceReader } from '../store/store.js';

type Metric = 'latencies' | 'calls' | 'errors';

const MS = 1_000_000n;
/** Prometheus refuses range queries of more points per series than this; so do we. */
const MAX_POINTS = 11_000;

const NAMES: Record<Metric, string> = { latencies: 'latencies', calls: 'call_rate', errors: 'error_rate' };

/** Jaeger's span kind names; Skein's stores call the unspecified kind ''. */
const KINDS: Record<string, string> = {
  unspecified: '',
  internal: 'internal',
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
};

export interface MetricsParams {
  services: string[];
  groupByOperation: boolean;
  spanKinds: string[];
  /** Evaluation times: startNs, startNs + stepNs, ... up to endNs. */
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  ratePerNs: bigint;
  quantile?: number;
  /** Skein's addition: only these operations' series (with groupByOperation); Jaeger has no such filter. */
  operations: string[];
}

/** A duration in ms (Jaeger's integer milliseconds), with its default when absent or empty. */
function msParam(q: URLSearchParams, name: string, dflt: number, positive: boolean): bigint {
  const ms = intParam(name, q.get(name)) ?? dflt;
  if (positive && ms === 0) throw badParam(name, 'a positive number of milliseconds', q.get(name) ?? '');
  return BigInt(ms) * MS;
}

/** Parses the parameters as Jaeger does (defaults: now, 1h lookback, 5s step, 10m ratePer, server spans). */
export function parseMetricsParams(metric: Metric, q: URLSearchParams, nowMs = Date.now()): MetricsParams {
  // The Jaeger UI joins several services as "service=a,service=b" into one value.
  const services = q.getAll('service').flatMap((s) => s.split(',service=')).filter((s) => s !== '');
  if (services.length === 0) throw new ApiError(400, "malformed parameter 'service': provide at least one service name");
  let quantile: number | undefined;
  if (metric === 'latencies') {
    const text = q.get('quantile') ?? '';
    quantile = Number(text);
    if (text.trim() === '' || !(quantile >= 0 && quantile <= 1)) throw badParam('quantile', 'a number in [0, 1] such as 0.95', text);
  }
  const groupByOperation = boolParam('groupByOperation', q.get('groupByOperation')) ?? false;
  const given = q.getAll('spanKind');
  const spanKinds = given.length === 0 ? ['server'] : given.map((k) => {
    const kind = KINDS[k.toLowerCase()];
    if (kind === undefined) throw badParam('spanKind', 'one of unspecified, internal, server, client, producer, consumer', k);
    return kind;
  });
  const endNs = epochParam('endTs', q.get('endTs'), MS, 'milliseconds') ?? BigInt(nowMs) * MS;
  const lookbackNs = msParam(q, 'lookback', 3_600_000, false);
  const stepNs = msParam(q, 'step', 5_000, true);
  const ratePerNs = msParam(q, 'ratePer', 600_000, true);
  if (lookbackNs / stepNs >= BigInt(MAX_POINTS)) {
    throw badParam('step', `a step that gives at most ${MAX_POINTS} points over the lookback of ${lookbackNs / MS} ms`, q.get('step') ?? '');
  }
  const operations = q.getAll('operation');
  return { services, groupByOperation, spanKinds, startNs: endNs - lookbackNs, endNs, stepNs, ratePerNs, quantile, operations };
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** RFC 3339 as protobuf's JSON mapping writes a Timestamp (no fraction when it is zero). */
const timestamp = (ns: bigint): string => new Date(Number(ns / MS)).toISOString().replace('.000Z', 'Z');

/** protojson writes NaN as the string "NaN" (the Jaeger UI then leaves a gap in the graph). */
const gauge = (value: number) => ({ gaugeValue: { doubleValue: Number.isNaN(value) ? 'NaN' : value } });

interface Series {
  operation: string;
  points: RedPoint[];
}

/** Consecutive runs of one operation (getRedMetrics sorts by operation, then bucket). */
function seriesOf(points: RedPoint[]): Series[] {
  const out: Series[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.operation === p.operation) last.points.push(p);
    else out.push({ operation: p.operation, points: [p] });
  }
  return out;
}

/** Evaluation times of the range. */
function times(p: MetricsParams): bigint[] {
  const out: bigint[] = [];
  for (let t = p.startNs; t <= p.endNs; t += p.stepNs) out.push(t);
  return out;
}

/** Values per evaluation time of one series, for the metric. */
function values(metric: Metric, p: MetricsParams, points: RedPoint[], at: bigint[]): number[] {
  if (metric === 'latencies') {
    // One bucket per step, ending at each evaluation time.
    const byStart = new Map(points.map((pt) => [pt.bucketStartNs, pt]));
    return at.map((t) => {
      const pt = byStart.get(t - p.stepNs);
      return pt ? pt.latencyNs[0]! / 1e6 : NaN;
    });
  }
  // Sliding sums over the sparse, sorted buckets: window [t - ratePer, t).
  const seconds = Number(p.ratePerNs) / 1e9;
  const out: number[] = [];
  let lo = 0;
  let hi = 0;
  let calls = 0;
  let errors = 0;
  for (const t of at) {
    while (hi < points.length && points[hi]!.bucketStartNs < t) {
      calls += points[hi]!.calls;
      errors += points[hi]!.errors;
      hi++;
    }
    while (lo < hi && points[lo]!.bucketStartNs < t - p.ratePerNs) {
      calls -= points[lo]!.calls;
      errors -= points[lo]!.errors;
      lo++;
    }
    out.push(metric === 'calls' ? calls / seconds : calls === 0 ? NaN : errors / calls);
  }
  return out;
}

/** The store query behind one metric: buckets aligned so every window is a whole number of them. */
function redQuery(metric: Metric, p: MetricsParams, service: string, lastNs: bigint): RedQuery {
  const base = { service, spanKinds: p.spanKinds, groupByOperation: p.groupByOperation, endNs: lastNs - 1n };
  if (metric === 'latencies') return { ...base, startNs: p.startNs - p.stepNs, stepNs: p.stepNs, quantiles: [p.quantile!] };
  return { ...base, startNs: p.startNs - p.ratePerNs, stepNs: gcd(p.stepNs, p.ratePerNs) };
}

async function metricFamily(metric: Metric, ctx: RequestContext) {
  const p = parseMetricsParams(metric, ctx.q);
  const suffix = NAMES[metric];
  const name = `service_${p.groupByOperation ? 'operation_' : ''}${suffix}`;
  const what =
    metric === 'latencies'
      ? `${p.quantile!.toFixed(2)}th quantile latency`
      : metric === 'calls'
        ? 'calls/sec'
        : 'error rate, computed as a fraction of errors/sec over calls/sec';
  const help = `${what}, grouped by service${p.groupByOperation ? ' & operation' : ''}`;
  const metrics: unknown[] = [];
  const reader = ctx.reader as TraceReader & Pick<Store, 'getRedMetrics'>;
  if (reader.getRedMetrics) {
    const at = times(p);
    const lastNs = at[at.length - 1]!;
    const results = await Promise.all(p.services.map((s) => reader.getRedMetrics!(redQuery(metric, p, s, lastNs))));
    results.forEach((points, i) => {
      const wanted = p.groupByOperation && p.operations.length ? new Set(p.operations) : undefined;
      for (const s of seriesOf(points)) {
        if (wanted && !wanted.has(s.operation)) continue;
        const labels = [{ name: 'service_name', value: p.services[i]! }];
        if (p.groupByOperation) labels.push({ name: 'operation', value: s.operation });
        const vals = values(metric, p, s.points, at);
        metrics.push({ labels, metricPoints: vals.map((v, k) => ({ ...gauge(v), timestamp: timestamp(at[k]!) })) });
      }
    });
  }
  return { name, type: 'GAUGE', help, metrics };
}

export const metricsRoutes: Route[] = [
  ...(['latencies', 'calls', 'errors'] as const).map((metric) => ({
    method: 'GET' as const,
    path: new RegExp(`^/api/metrics/${metric}$`),
    style: 'classic' as const,
    handle: async (ctx: RequestContext) => metricFamily(metric, ctx),
  })),
  // Jaeger before v2.18 also had this (the smallest step its metrics store accepts, in ms).
  { method: 'GET', path: /^\/api\/metrics\/minstep$/, style: 'classic', handle: async () => envelope(1) },
];
