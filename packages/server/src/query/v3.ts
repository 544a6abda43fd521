/**
 * Jaeger's API v3 over HTTP (`/api/v3/*`): OTLP/JSON traces in `{result}`, services,
 * operations and trace summaries. Query keys are accepted in camelCase (proto3 JSON names,
 * what the Jaeger UI sends) and in the older snake_case.
 */
import type { Span } from '@skein/model';
import type { TraceQuery } from '../store/store.js';
import { ApiError, badParam } from './http.js';
import { listOperations } from './classic.js';
import { encodeOtlpJson } from './otlp.js';
import { boolParam, durationParam, intParam, rfc3339Param, tagsJsonParam, traceIdParam } from './params.js';
import type { RequestContext, Route } from './route.js';
import { findTraces } from './search.js';
import { summarizeTrace } from './summary.js';

const DEFAULT_SEARCH_DEPTH = 100;

/** The value of the first of `names` that is set and non-empty, with that name (for messages). */
function param(q: URLSearchParams, ...names: string[]): [string | null, string] {
  for (const n of names) {
    const v = q.get(n);
    if (v !== null && v !== '') return [v, n];
  }
  return [null, names[0]!];
}

/** The `query.*` parameters of /api/v3/traces and /api/v3/trace-summaries as a store query. */
export function v3SearchQuery(q: URLSearchParams, maxLimit: number): TraceQuery {
  const query: TraceQuery = { limit: DEFAULT_SEARCH_DEPTH };
  const [service] = param(q, 'query.serviceName', 'query.service_name');
  if (service) query.service = service;
  const [operation] = param(q, 'query.operationName', 'query.operation_name');
  if (operation) query.operation = operation;
  const [attrs, attrsName] = param(q, 'query.attributes');
  if (attrs) {
    const parsed = tagsJsonParam(attrsName, attrs);
    if (Object.keys(parsed).length) query.attributes = parsed;
  }
  if (param(q, 'query.filter')[0]) throw new ApiError(400, "parameter 'query.filter' is not supported; use query.attributes");
  const [minText, minName] = param(q, 'query.startTimeMin', 'query.start_time_min');
  const [maxText, maxName] = param(q, 'query.startTimeMax', 'query.start_time_max');
  const min = rfc3339Param(minName, minText);
  const max = rfc3339Param(maxName, maxText);
  if (min !== undefined && max !== undefined && min > max) {
    throw new ApiError(400, `malformed parameters: '${minName}' (${minText}) is after '${maxName}' (${maxText})`);
  }
  if (min !== undefined) query.startTimeMinNs = min;
  if (max !== undefined) query.startTimeMaxNs = max;
  const [dMinText, dMinName] = param(q, 'query.durationMin', 'query.duration_min');
  const [dMaxText, dMaxName] = param(q, 'query.durationMax', 'query.duration_max');
  const dMin = durationParam(dMinName, dMinText);
  const dMax = durationParam(dMaxName, dMaxText);
  if (dMin !== undefined && dMax !== undefined && dMax < dMin) {
    throw new ApiError(400, `malformed parameters: '${dMaxName}' (${dMaxText}) is less than '${dMinName}' (${dMinText})`);
  }
  if (dMin !== undefined) query.durationMinNs = dMin;
  if (dMax !== undefined) query.durationMaxNs = dMax;
  const [depthText, depthName] = param(q, 'query.searchDepth', 'query.search_depth', 'query.num_traces');
  const depth = intParam(depthName, depthText);
  query.limit = Math.min(depth || DEFAULT_SEARCH_DEPTH, maxLimit);
  const [raw, rawName] = param(q, 'query.rawTraces', 'query.raw_traces');
  boolParam(rawName, raw);
  return query;
}

/** `{"result": <OTLP TracesData>}`, as Jaeger's grpc-gateway writes it. */
const result = (spans: Span[]) => ({ result: encodeOtlpJson(spans) });

async function getTrace(ctx: RequestContext) {
  const id = traceIdParam('trace_id', ctx.params[0]!, true);
  const [start, startName] = param(ctx.q, 'startTime', 'start_time');
  rfc3339Param(startName, start);
  const [end, endName] = param(ctx.q, 'endTime', 'end_time');
  rfc3339Param(endName, end);
  const [raw, rawName] = param(ctx.q, 'rawTraces', 'raw_traces');
  boolParam(rawName, raw);
  const spans = await ctx.reader.getTrace(id);
  if (spans.length === 0) throw new ApiError(404, `trace not found: no spans are stored for trace id ${id}`);
  return result(spans);
}

async function searchTraces(ctx: RequestContext) {
  const traces = await findTraces(ctx.reader, v3SearchQuery(ctx.q, ctx.maxLimit));
  // Jaeger answers an empty search with 404 "No traces found" on this endpoint.
  if (traces.length === 0) throw new ApiError(404, 'No traces found');
  return result(traces.flat());
}

async function traceSummaries(ctx: RequestContext) {
  const traces = await findTraces(ctx.reader, v3SearchQuery(ctx.q, ctx.maxLimit));
  return { summaries: traces.map(summarizeTrace) };
}

async function operations(ctx: RequestContext) {
  const service = ctx.q.get('service');
  if (!service) throw badParam('service', 'a service name', '');
  const [kind, kindName] = param(ctx.q, 'spanKind', 'span_kind');
  const ops = await listOperations(ctx, service, kindName, kind);
  return { operations: ops.map((o) => ({ name: o.name, spanKind: o.spanKind })) };
}

export const v3Routes: Route[] = [
  { method: 'GET', path: /^\/api\/v3\/services$/, style: 'v3', handle: async (ctx) => ({ services: await ctx.reader.getServices() }) },
  { method: 'GET', path: /^\/api\/v3\/operations$/, style: 'v3', handle: operations },
  { method: 'GET', path: /^\/api\/v3\/traces$/, style: 'v3', handle: searchTraces },
  { method: 'GET', path: /^\/api\/v3\/traces\/([^/]+)$/, style: 'v3', handle: getTrace },
  { method: 'GET', path: /^\/api\/v3\/trace-summaries$/, style: 'v3', handle: traceSummaries },
];
