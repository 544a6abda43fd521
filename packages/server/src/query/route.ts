/** What a query API handler sees and how routes are declared. */
import type { IncomingMessage } from 'node:http';
import type { TraceReader } from '../store/store.js';

export interface RequestContext {
  req: IncomingMessage;
  q: URLSearchParams;
  /** Path segments captured by the route pattern, URL-decoded. */
  params: string[];
  reader: TraceReader;
  /** The most traces one search may return. */
  maxLimit: number;
  /** The largest request body accepted (POST /api/transform). */
  maxBodyBytes: number;
}

/** 'classic' answers errors in Jaeger's {data, errors} envelope, 'v3' in the grpc-gateway shape. */
export type ApiStyle = 'classic' | 'v3';

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  style: ApiStyle;
  /** Resolves to the JSON body of a 200 answer; throws ApiError for the others. */
  handle(ctx: RequestContext): Promise<unknown>;
}

/** Jaeger's classic envelope. */
export const envelope = (data: unknown, total = Array.isArray(data) ? data.length : 0, errors: unknown = null) => ({
  data,
  total,
  limit: 0,
  offset: 0,
  errors,
});
