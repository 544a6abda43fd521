/**
 * GET /api/skein/tail: a live stream of ingested spans as NDJSON, one OTLP JSON
 * ExportTraceServiceRequest per line, for `skein tail`. A client that reads too slowly loses
 * batches (counted in a `{"dropped": n}` line) rather than holding memory or slowing ingest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeOtlpJson, serviceName, type Span } from '@skein/model';
import type { Pipeline } from '../pipeline/pipeline.js';

/** The tail endpoint's handler; close() ends every open stream, so a server can stop. */
export interface TailHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

export function createTailHandler(pipeline: Pipeline): TailHandler {
  const open = new Set<ServerResponse>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const service = url.searchParams.get('service') ?? undefined;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.write('\n');
    let dropped = 0;
    const stop = pipeline.observe((spans: Span[]) => {
      const chosen = service ? spans.filter((s) => serviceName(s.resource) === service) : spans;
      if (chosen.length === 0) return;
      if (res.writableLength > 1 << 20) {
        dropped += chosen.length;
        return;
      }
      if (dropped > 0) {
        res.write(`${JSON.stringify({ dropped })}\n`);
        dropped = 0;
      }
      res.write(`${JSON.stringify(encodeOtlpJson(chosen))}\n`);
    });
    const ping = setInterval(() => res.write('\n'), 15_000);
    open.add(res);
    const end = () => {
      clearInterval(ping);
      stop();
      open.delete(res);
    };
    req.on('close', end);
    res.on('error', end);
  };
  // A stream never ends by itself: the HTTP server's close waited for its client to leave.
  return Object.assign(handle, {
    close() {
      for (const res of open) res.end();
    },
  });
}
