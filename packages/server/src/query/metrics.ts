/**
 * Jaeger's Monitor API (`/api/metrics/{latencies,calls,errors}`). The store contract has no
 * span-metrics aggregate and deriving one from whole traces is not cheap, so after validating
 * the parameters as Jaeger does these answer a valid, empty MetricFamily (the Monitor tab then
 * shows "no data" instead of an error).
 */
import { ApiError, badParam } from './http.js';
import { boolParam, epochParam, intParam, spanKindParam } from './params.js';
import type { RequestContext, Route } from './route.js';

type Metric = 'latencies' | 'calls' | 'errors';

const NAMES: Record<Metric, [string, string]> = {
  latencies: ['latencies', 'latency'],
  calls: ['call_rate', 'calls/sec'],
  errors: ['error_rate', 'error rate'],
};

function metricFamily(metric: Metric, ctx: RequestContext) {
  const q = ctx.q;
  // The Jaeger UI joins several services as "service=a,service=b" into one value.
  const services = q.getAll('service').flatMap((s) => s.split(',service=')).filter((s) => s !== '');
  if (services.length === 0) throw new ApiError(400, "malformed parameter 'service': provide at least one service name");
  let quantile: number | undefined;
  if (metric === 'latencies') {
    const text = q.get('quantile') ?? '';
    quantile = Number(text);
    if (text === '' || !(quantile > 0 && quantile <= 1)) throw badParam('quantile', 'a number in (0, 1] such as 0.95', text);
  }
  const byOperation = boolParam('groupByOperation', q.get('groupByOperation')) ?? false;
  epochParam('endTs', q.get('endTs'), 1_000_000n, 'milliseconds');
  for (const p of ['lookback', 'step', 'ratePer']) intParam(p, q.get(p));
  for (const k of q.getAll('spanKind')) spanKindParam('spanKind', k);
  const [suffix, what] = NAMES[metric];
  const name = `service_${byOperation ? 'operation_' : ''}${suffix}`;
  const help = `${quantile !== undefined ? `${quantile}th quantile ` : ''}${what}, grouped by service${byOperation ? ' & operation' : ''}`;
  return { name, type: 'GAUGE', help, metrics: [] as unknown[] };
}

export const metricsRoutes: Route[] = (['latencies', 'calls', 'errors'] as const).map((metric) => ({
  method: 'GET' as const,
  path: new RegExp(`^/api/metrics/${metric}$`),
  style: 'classic' as const,
  handle: async (ctx: RequestContext) => metricFamily(metric, ctx),
}));
