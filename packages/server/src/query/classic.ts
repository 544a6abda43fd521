/** Jaeger's classic query API (`/api/*`), in the shapes the Jaeger UI and Grafana read. */
import { nowNs } from '@skein/model';
import type { DependencyLink, TraceQuery } from '../store/store.js';
import { ApiError, badParam, readBody } from './http.js';
import { toJaegerTrace, toJaegerTraces } from './jaeger-json.js';
import { decodeOtlpJson } from './otlp.js';
import {
  boolParam,
  durationParam,
  epochParam,
  intParam,
  lookbackParam,
  spanKindParam,
  tagParams,
  tagsJsonParam,
  traceIdParam,
} from './params.js';
import type { RequestContext, Route } from './route.js';
import { envelope } from './route.js';
import { findTraces, getTraces } from './search.js';
import { metricsRoutes } from './metrics.js';

const US = 1_000n;
const MS = 1_000_000n;
const DEFAULT_LIMIT = 20;
const DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000n;

/** Operations of a service, optionally of one span kind (kindParam names the parameter in errors). */
export async function listOperations(ctx: RequestContext, service: string, kindParam: string, kindText: string | null) {
  const kind = spanKindParam(kindParam, kindText);
  // The store filters by kind name; 'unspecified' spans have the empty kind name.
  const ops = await ctx.reader.getOperations(service, kind === 'unspecified' ? undefined : kind || undefined);
  return kind === 'unspecified' ? ops.filter((o) => o.spanKind === '') : ops;
}

/** The search parameters of GET /api/traces as a store query. */
export function classicSearchQuery(q: URLSearchParams, maxLimit: number): TraceQuery {
  const query: TraceQuery = { limit: DEFAULT_LIMIT };
  const service = q.get('service');
  if (service) query.service = service;
  const operation = q.get('operation');
  if (operation) query.operation = operation;
  const end = epochParam('end', q.get('end'), US, 'microseconds');
  let start = epochParam('start', q.get('start'), US, 'microseconds');
  const lookback = lookbackParam('lookback', q.get('lookback'));
  if (start === undefined && lookback !== undefined) start = (end ?? nowNs()) - lookback;
  if (start !== undefined && end !== undefined && start > end) {
    throw new ApiError(400, `malformed parameters: 'start' (${q.get('start')}) is after 'end' (${q.get('end')})`);
  }
  if (start !== undefined) query.startTimeMinNs = start;
  if (end !== undefined) query.startTimeMaxNs = end;
  const min = durationParam('minDuration', q.get('minDuration'));
  const max = durationParam('maxDuration', q.get('maxDuration'));
  if (min !== undefined && max !== undefined && max < min) {
    throw new ApiError(400, `malformed parameters: 'maxDuration' (${q.get('maxDuration')}) is less than 'minDuration' (${q.get('minDuration')})`);
  }
  if (min !== undefined) query.durationMinNs = min;
  if (max !== undefined) query.durationMaxNs = max;
  const tags: Record<string, string> = {};
  tagParams('tag', q.getAll('tag'), tags);
  for (const t of q.getAll('tags')) if (t !== '') Object.assign(tags, tagsJsonParam('tags', t));
  if (Object.keys(tags).length) query.attributes = tags;
  const limit = intParam('limit', q.get('limit'));
  query.limit = Math.min(limit || DEFAULT_LIMIT, maxLimit);
  return query;
}

async function searchTraces(ctx: RequestContext) {
  const ids = ctx.q.getAll('traceID').filter((s) => s !== '');
  if (ids.length) {
    const wanted = ids.map((id) => traceIdParam('traceID', id));
    const { found, missing } = await getTraces(ctx.reader, wanted);
    const errors = missing.map((id) => ({ code: 404, msg: `trace not found: ${id}`, traceID: id }));
    return envelope(found.map(toJaegerTrace), found.length, errors.length ? errors : null);
  }
  const traces = await findTraces(ctx.reader, classicSearchQuery(ctx.q, ctx.maxLimit));
  return envelope(traces.map(toJaegerTrace));
}

async function getTrace(ctx: RequestContext) {
  const id = traceIdParam('traceID', ctx.params[0]!);
  // Accepted for compatibility; a trace is always returned whole and unadjusted.
  epochParam('start', ctx.q.get('start'), US, 'microseconds');
  epochParam('end', ctx.q.get('end'), US, 'microseconds');
  boolParam('raw', ctx.q.get('raw'));
  const spans = await ctx.reader.getTrace(id);
  if (spans.length === 0) throw new ApiError(404, `trace not found: no spans are stored for trace id ${id}`);
  return envelope([toJaegerTrace(spans)], 1);
}

async function dependencies(ctx: RequestContext) {
  const end = epochParam('endTs', ctx.q.get('endTs'), MS, 'milliseconds') ?? nowNs();
  const lookbackMs = intParam('lookback', ctx.q.get('lookback'));
  const start = end - (lookbackMs !== undefined ? BigInt(lookbackMs) : DEFAULT_DEPENDENCY_LOOKBACK_MS) * MS;
  const service = ctx.q.get('service');
  // errorCount is Skein's addition to Jaeger's DependencyLink (the Jaeger UI ignores it; ours shows it)
  const merged = new Map<string, DependencyLink>();
  for (const l of await ctx.reader.getDependencies(start, end)) {
    if (service && l.parent !== service && l.child !== service) continue;
    const key = `${l.parent}\0${l.child}`;
    const m = merged.get(key);
    if (m) {
      m.callCount += l.callCount;
      m.errorCount += l.errorCount;
    } else merged.set(key, { parent: l.parent, child: l.child, callCount: l.callCount, errorCount: l.errorCount });
  }
  return envelope([...merged.values()]);
}

async function transform(ctx: RequestContext) {
  const body = (await readBody(ctx.req, ctx.maxBodyBytes)).toString('utf8');
  if (body.trim() === '') throw new ApiError(400, 'empty body: expected OTLP/JSON traces ({"resourceSpans": [...]})');
  const decoded = decodeOtlpJson(body);
  if (decoded.spans.length === 0 && decoded.rejected > 0) {
    throw new ApiError(400, `malformed OTLP/JSON body: ${decoded.message || `${decoded.rejected} span(s) rejected`}`);
  }
  const traces = toJaegerTraces(decoded.spans);
  if (decoded.rejected > 0 && traces[0]) {
    traces[0].warnings = [`${decoded.rejected} span(s) of the upload were rejected: ${decoded.message}`];
  }
  return envelope(traces);
}

export const classicRoutes: Route[] = [
  { method: 'GET', path: /^\/api\/services$/, style: 'classic', handle: async (ctx) => envelope(await ctx.reader.getServices()) },
  {
    method: 'GET',
    path: /^\/api\/services\/(.+)\/operations$/,
    style: 'classic',
    handle: async (ctx) => {
      const names = new Set((await ctx.reader.getOperations(ctx.params[0]!)).map((o) => o.name));
      return envelope([...names].sort());
    },
  },
  {
    method: 'GET',
    path: /^\/api\/operations$/,
    style: 'classic',
    handle: async (ctx) => {
      const service = ctx.q.get('service');
      if (!service) throw badParam('service', 'a service name', '');
      const ops = await listOperations(ctx, service, 'spanKind', ctx.q.get('spanKind'));
      return envelope(ops.map((o) => ({ name: o.name, spanKind: o.spanKind })));
    },
  },
  { method: 'GET', path: /^\/api\/traces$/, style: 'classic', handle: searchTraces },
  { method: 'GET', path: /^\/api\/traces\/([^/]+)$/, style: 'classic', handle: getTrace },
  { method: 'GET', path: /^\/api\/dependencies$/, style: 'classic', handle: dependencies },
  { method: 'POST', path: /^\/api\/transform$/, style: 'classic', handle: transform },
  ...metricsRoutes,
];
