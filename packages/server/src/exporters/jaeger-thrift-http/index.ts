/** jaegerThriftHttpSender: POSTs binary thrift Batches to `<url>/api/traces`, for Jaeger collectors that predate OTLP. */
import { encodeJaegerBatches, type Span } from '@skein/model';
import type { Sender } from '../sender.js';
import { backendUrl, createPoster, type HttpPostOptions } from '../http-post.js';

export type JaegerThriftHttpSenderOptions = HttpPostOptions;

/** `url` is the collector's base, e.g. `http://127.0.0.1:14268`. One request per resource (a Batch has one Process). */
export function jaegerThriftHttpSender(url: string, opts: JaegerThriftHttpSenderOptions = {}): Sender {
  const target = backendUrl('jaeger-http URL', url, '/api/traces');
  const name = `jaeger-http ${target.href}`;
  const poster = createPoster(name, target, opts);
  return {
    name,
    async send(spans: Span[], signal?: AbortSignal): Promise<void> {
      // Sequential: a failure part-way means a retry resends the batches already taken, which a
      // collector dedupes by span id; parallel sends would not make that any better.
      for (const batch of encodeJaegerBatches(spans, 'binary')) {
        await poster.post(batch, { 'content-type': 'application/x-thrift' }, signal);
      }
    },
    async close() {
      poster.close();
    },
  };
}
