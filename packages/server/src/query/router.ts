/**
 * The query API as one request handler that a node:http server mounts: Jaeger's classic
 * `/api/*` and `/api/v3/*`. It answers only its own paths and reports the rest as not handled,
 * so the server can serve the UI and static files for them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { TraceReader } from '../store/store.js';
import { ApiError, sendJson } from './http.js';
import type { ApiStyle, RequestContext, Route } from './route.js';
import { classicRoutes } from './classic.js';
import { v3Routes } from './v3.js';
import { handleSkeinApi } from './skein.js';

export interface QueryRouterOptions {
  reader: TraceReader;
  logger?: Logger;
  /** The most traces one search may return (default 1500); larger limits are lowered to it. */
  maxLimit?: number;
  /** The largest POST body accepted (default 20 MiB). */
  maxBodyBytes?: number;
}

export type QueryRouter = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const ROUTES: Route[] = [...v3Routes, ...classicRoutes];

function errorBody(style: ApiStyle, status: number, message: string): unknown {
  if (style === 'v3') return { error: { httpCode: status, message } };
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg: message }] };
}

function decodeSegments(m: RegExpExecArray): string[] | undefined {
  try {
    return m.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function createQueryRouter(opts: QueryRouterOptions): QueryRouter {
  const maxLimit = opts.maxLimit ?? 1500;
  const maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (!path.startsWith('/api/')) return false;
    if (path.startsWith('/api/skein/traces/')) return handleSkeinApi(req, res, path, opts.reader);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let matched: Route | undefined;
    let match: RegExpExecArray | null = null;
    const allowed: string[] = [];
    for (const route of ROUTES) {
      const m = route.path.exec(path);
      if (!m) continue;
      allowed.push(route.method);
      if (route.method === method && !matched) {
        matched = route;
        match = m;
      }
    }
    if (allowed.length === 0) return false;
    const style: ApiStyle = path.startsWith('/api/v3/') ? 'v3' : 'classic';
    const pretty = ['', 'false', null].indexOf(url.searchParams.get('prettyPrint')) < 0;
    if (!matched || !match) {
      res.setHeader('allow', allowed.join(', '));
      sendJson(res, 405, errorBody(style, 405, `${req.method} is not allowed on ${path}; use ${allowed.join(' or ')}`));
      return true;
    }
    try {
      const params = decodeSegments(match);
      if (!params) throw new ApiError(400, `malformed path '${path}': bad percent-encoding`);
      const ctx: RequestContext = { req, q: url.searchParams, params, reader: opts.reader, maxLimit, maxBodyBytes };
      const body = await matched.handle(ctx);
      sendJson(res, 200, body, pretty);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) opts.logger?.error({ err, path }, 'query API request failed');
      if (!res.headersSent) sendJson(res, status, errorBody(matched.style, status, message), pretty);
      else res.destroy();
    }
    return true;
  };
}
