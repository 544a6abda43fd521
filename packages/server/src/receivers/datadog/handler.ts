/**
 * The Datadog agent's trace API as tracers use it: PUT/POST /v0.3|/v0.4|/v0.5/traces (msgpack),
 * GET /info, and the side channels dd-trace talks to (remote config, telemetry, stats), which are
 * answered so the tracer stays quiet but otherwise ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeDatadogV04, decodeDatadogV05, type DdDecoded } from '@skein/model';
import type { Consumer } from '../../pipeline/component.js';
import { readBody } from '../http/body.js';
import { HttpError, errorToAnswer } from '../http/errors.js';
import { sendJson } from '../http/listen.js';
import { answerText } from '../zipkin/handler.js';

const TRACE_PATHS: Record<string, (b: Uint8Array, o: { keepRejected?: boolean }) => DdDecoded> = {
  '/v0.3/traces': decodeDatadogV04,
  '/v0.4/traces': decodeDatadogV04,
  '/v0.5/traces': decodeDatadogV05,
};
/** Accepted and dropped: Skein computes its own stats and has no remote config or telemetry. */
const SIDE_CHANNELS = ['/v0.6/stats', '/v0.1/pipeline_stats', '/telemetry/proxy/'];

export const DATADOG_INFO = {
  version: 'skein',
  endpoints: ['/v0.3/traces', '/v0.4/traces', '/v0.5/traces', '/v0.6/stats', '/v0.7/config', '/telemetry/proxy/', '/info'],
  client_drop_p0s: false,
  span_meta_structs: false,
  long_running_spans: false,
  config: { statsd_port: 0, receiver_port: 8126 },
};

export interface DatadogHandlerOptions {
  maxBodyBytes?: number;
  /** Keep traces whose sampling priority rejects them (default: drop, as the agent does). */
  keepRejected?: boolean;
}

export interface DatadogStats {
  /** Trace chunks dropped for their sampling priority. */
  droppedTraces: number;
  /** Trace payloads taken, per path (`/v0.4/traces`: 12). */
  payloads: Record<string, number>;
}

export function createDatadogHandler(next: Consumer, opts: DatadogHandlerOptions = {}, stats: DatadogStats = { droppedTraces: 0, payloads: {} }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    try {
      const decode = TRACE_PATHS[path];
      if (decode) {
        if (req.method !== 'PUT' && req.method !== 'POST') throw new HttpError(405, `use PUT or POST for ${path}`, { allow: 'PUT, POST' });
        const type = String(req.headers['content-type'] ?? 'application/msgpack').split(';')[0]!.trim().toLowerCase();
        if (type === 'application/json') throw new HttpError(415, `JSON traces are not taken on ${path}: send msgpack (application/msgpack)`);
        const body = await readBody(req, opts.maxBodyBytes);
        if (body.length > 0) {
          const decoded = decode(body, opts);
          stats.droppedTraces += decoded.droppedTraces;
          stats.payloads[path] = (stats.payloads[path] ?? 0) + 1;
          if (decoded.spans.length > 0) await next.consume(decoded.spans);
        }
        // Tracers read this to set their sampling rates; 1 keeps everything.
        sendJson(res, 200, { rate_by_service: { 'service:,env:': 1 } });
        return;
      }
      if (path === '/info') return sendJson(res, 200, DATADOG_INFO);
      if (path === '/v0.7/config' || SIDE_CHANNELS.some((p) => path.startsWith(p))) {
        req.resume();
        // '{}' tells dd-trace's remote-config client it is up to date.
        return sendJson(res, path === '/v0.7/config' ? 200 : 202, {});
      }
      throw new HttpError(404, `no such path ${path}: Datadog traces go to PUT /v0.4/traces or /v0.5/traces`);
    } catch (err) {
      const e = errorToAnswer(res, err);
      if (!e) return;
      req.resume();
      answerText(res, e.status, e.status === 400 ? `malformed Datadog ${path.slice(1, 5)} payload: ${e.message}` : e.message, e.headers);
    }
  };
}
