/** The query API the UI calls: Jaeger classic /api/* and /api/v3/*, errors turned into readable messages. */
import type { TraceSummary } from '../trace/model.js';
import type { GraphEdge } from '../trace/layout.js';

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the Skein server. Is `skein serve` running?', 0);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(res.ok ? `the server sent something that is not JSON from ${url}` : `HTTP ${res.status}: ${text.slice(0, 200)}`, res.status);
  }
  if (!res.ok) {
    const b = body as { error?: { message?: string }; errors?: { msg?: string }[] };
    throw new ApiError(b.error?.message ?? b.errors?.[0]?.msg ?? `HTTP ${res.status}`, res.status);
  }
  return body as T;
}

/** Where Skein's receivers listen (host:port by receiver, e.g. otlpHttp); empty from other backends. */
export async function getReceivers(signal?: AbortSignal): Promise<Record<string, string>> {
  const r = await getJson<{ receivers?: Record<string, string> }>('/api/skein/receivers', signal).catch(() => ({ receivers: {} }));
  return r.receivers ?? {};
}

export async function getServices(signal?: AbortSignal): Promise<string[]> {
  const r = await getJson<{ data: string[] | null }>('/api/services', signal);
  return (r.data ?? []).slice().sort();
}

export async function getOperations(service: string, signal?: AbortSignal): Promise<string[]> {
  if (!service) return [];
  const r = await getJson<{ data: string[] | null }>(`/api/services/${encodeURIComponent(service)}/operations`, signal);
  return (r.data ?? []).slice().sort();
}

export interface SearchParams {
  service: string;
  operation: string;
  tags: Record<string, string>;
  minDuration: string;
  maxDuration: string;
  /** Start of the range and end of it, ms since the epoch. */
  startMs: number;
  endMs: number;
  limit: number;
}

interface V3Summary {
  traceId: string;
  rootServiceName: string;
  rootOperationName: string;
  minStartTimeUnixNano: string;
  maxEndTimeUnixNano: string;
  spanCount: number;
  errorSpanCount: number;
  services?: { name: string; spanCount: number; errorSpanCount: number }[];
}

export async function searchTraces(p: SearchParams, signal?: AbortSignal): Promise<TraceSummary[]> {
  const q = new URLSearchParams();
  q.set('query.serviceName', p.service);
  if (p.operation) q.set('query.operationName', p.operation);
  if (Object.keys(p.tags).length) q.set('query.attributes', JSON.stringify(p.tags));
  q.set('query.startTimeMin', new Date(p.startMs).toISOString());
  q.set('query.startTimeMax', new Date(p.endMs).toISOString());
  if (p.minDuration) q.set('query.durationMin', p.minDuration);
  if (p.maxDuration) q.set('query.durationMax', p.maxDuration);
  q.set('query.searchDepth', String(p.limit));
  const r = await getJson<{ summaries?: V3Summary[] }>(`/api/v3/trace-summaries?${q}`, signal);
  return (r.summaries ?? []).map((s) => {
    const start = BigInt(s.minStartTimeUnixNano);
    return {
      traceId: s.traceId,
      rootService: s.rootServiceName,
      rootOperation: s.rootOperationName,
      startNs: start,
      durationNs: Number(BigInt(s.maxEndTimeUnixNano) - start),
      spanCount: s.spanCount,
      errorCount: s.errorSpanCount,
      services: (s.services ?? []).map((x) => ({ name: x.name, spanCount: x.spanCount, errorCount: x.errorSpanCount })),
    };
  });
}

export async function getDependencies(endMs: number, lookbackMs: number, signal?: AbortSignal): Promise<GraphEdge[]> {
  const r = await getJson<{ data: { parent: string; child: string; callCount: number; errorCount?: number }[] | null }>(
    `/api/dependencies?endTs=${Math.round(endMs)}&lookback=${Math.round(lookbackMs)}`,
    signal,
  );
  return (r.data ?? []).map((d) => ({ parent: d.parent, child: d.child, callCount: d.callCount, errorCount: d.errorCount ?? 0 }));
}

/** Sends OTLP/JSON to the server's ingest path on the UI port. */
export async function importOtlp(json: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
  } catch {
    throw new ApiError('Cannot reach the Skein server to import.', 0);
  }
  if (!res.ok) throw new ApiError(`import failed: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`, res.status);
}

export interface TraceUrls {
  otlp: string;
  jaeger: string;
  /** Skein's compact columns for the UI (a server without it is detected, then otlp is used). */
  compact: string;
  /** One span's detail, `{spanId}` to be filled in. */
  span: string;
}

export const traceUrls = (id: string): TraceUrls => ({
  otlp: `/api/v3/traces/${id}`,
  jaeger: `/api/traces/${id}`,
  compact: `/api/skein/traces/${id}`,
  span: `/api/skein/traces/${id}/spans/{spanId}`,
});
