/**
 * `skein stats`: requests, error rate and latency quantiles per service, or per operation of one
 * service, over a time range: the terminal's view of the UI's Monitor page, from the same
 * Jaeger metrics API (`/api/metrics/*`), so it also reads a Jaeger query service with metrics.
 */
import { parseDurationNs } from '@skein/model';
import { serverUrl } from '../commands/options.js';
import { usageError } from '../errors.js';
import { getJson } from '../io/query-client.js';
import { fit, formatDuration, terminalWidth } from '../view/format.js';

interface StatsFlags {
  server?: string;
  service?: string;
  kind?: string;
  since?: string;
  json?: boolean;
}

export interface StatsRow {
  /** The service, or the operation with --service. */
  name: string;
  requests: number;
  /** Failed requests / requests, 0..1. */
  errorRate: number;
  /** Latency quantiles in ns (NaN without requests). */
  p50: number;
  p95: number;
  p99: number;
}

const KINDS = ['server', 'client', 'internal', 'producer', 'consumer', 'unspecified'];

interface MetricFamily {
  metrics?: { labels?: { name: string; value: string }[]; metricPoints?: { gaugeValue?: { doubleValue?: number | string } }[] }[];
}

export async function printStats(o: StatsFlags): Promise<void> {
  const rangeNs = parseDurationNs(o.since ?? '1h');
  if (rangeNs === undefined || rangeNs <= 0n) throw usageError(`--since "${o.since}" is not a duration like 15m or 24h`);
  if (o.kind !== undefined && !KINDS.includes(o.kind)) throw usageError(`--kind "${o.kind}" is not one of ${KINDS.join(', ')}`);
  const server = serverUrl(o.server);
  const services = o.service ? [o.service] : (((await getJson(server, '/api/services')).body as { data?: string[] | null }).data ?? []).sort();
  const rows = services.length ? await statsOf(server, services, o.service !== undefined, o.kind, Number(rangeNs / 1_000_000n)) : [];
  if (o.json) {
    for (const r of rows) process.stdout.write(JSON.stringify({ [o.service ? 'operation' : 'service']: r.name, ...r, name: undefined }) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stderr.write(o.service ? `no ${o.kind ?? ''}${o.kind ? ' ' : ''}spans from ${o.service} in the last ${o.since ?? '1h'}\n` : 'no services yet\n');
    return;
  }
  process.stdout.write(statsTable(rows, o.service ? 'OPERATION' : 'SERVICE', terminalWidth(undefined)));
}

/** One query per metric: every service at once, or every operation of one service; the whole range is one step. */
async function statsOf(server: string, services: string[], byOperation: boolean, kind: string | undefined, lookbackMs: number): Promise<StatsRow[]> {
  const q = new URLSearchParams({ endTs: String(Date.now()), lookback: String(lookbackMs), step: String(lookbackMs), ratePer: String(lookbackMs), groupByOperation: String(byOperation) });
  for (const s of services) q.append('service', s);
  for (const k of kind ? [kind] : KINDS) q.append('spanKind', k);
  const get = async (path: string) => (await getJson(server, `/api/metrics/${path}${path.includes('?') ? '&' : '?'}${q}`)).body as MetricFamily;
  const [calls, errors, p50, p95, p99] = await Promise.all([get('calls'), get('errors'), get('latencies?quantile=0.5'), get('latencies?quantile=0.95'), get('latencies?quantile=0.99')]);
  // Each series has two points, the start and the end of the range; the last covers all of it.
  const last = (f: MetricFamily) => {
    const out = new Map<string, number>();
    for (const m of f.metrics ?? []) {
      const label = m.labels?.find((l) => l.name === (byOperation ? 'operation' : 'service_name'))?.value ?? '';
      out.set(label, Number(m.metricPoints?.[m.metricPoints.length - 1]?.gaugeValue?.doubleValue ?? NaN));
    }
    return out;
  };
  const [c, e, l50, l95, l99] = [calls, errors, p50, p95, p99].map(last) as [Map<string, number>, ...Map<string, number>[]];
  const rows: StatsRow[] = [];
  for (const [name, rate] of c) {
    const requests = Math.round((rate * lookbackMs) / 1000);
    if (requests === 0) continue;
    const ns = (m: Map<string, number>) => Math.round((m.get(name) ?? NaN) * 1e6);
    rows.push({ name, requests, errorRate: e!.get(name) ?? 0, p50: ns(l50!), p95: ns(l95!), p99: ns(l99!) });
  }
  // Where the time goes first: requests x p95.
  return rows.sort((a, b) => b.requests * (b.p95 || 0) - a.requests * (a.p95 || 0) || a.name.localeCompare(b.name));
}

const pct = (r: number): string => (!Number.isFinite(r) ? '-' : r === 0 ? '0%' : r < 0.001 ? '<0.1%' : `${Number((r * 100).toPrecision(2))}%`);
const dur = (ns: number): string => (Number.isFinite(ns) ? formatDuration(BigInt(Math.round(ns))) : '-');

export function statsTable(rows: StatsRow[], head: string, width: number): string {
  const cols = ['REQUESTS', 'ERRORS', 'P50', 'P95', 'P99'];
  const cells = rows.map((r) => [r.requests.toLocaleString('en-US'), pct(r.errorRate), dur(r.p50), dur(r.p95), dur(r.p99)]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numbers = widths.reduce((a, w) => a + w + 2, 0);
  const nameWidth = Math.max(head.length, Math.min(Math.max(...rows.map((r) => [...r.name].length)), width - numbers - 1));
  const line = (name: string, vals: string[]) => fit(name, nameWidth) + vals.map((v, i) => '  ' + v.padStart(widths[i]!)).join('') + '\n';
  return line(head, cols) + rows.map((r, i) => line(r.name, cells[i]!)).join('');
}
