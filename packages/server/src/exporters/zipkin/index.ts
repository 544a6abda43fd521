/** zipkinSender: POSTs Zipkin v2 JSON to `<url>/api/v2/spans` (Zipkin, Jaeger's Zipkin port, Skein). */
import { encodeZipkinJson, type Span } from '@skein/model';
import type { Sender } from '../sender.js';
import { backendUrl, createPoster, type HttpPostOptions } from '../http-post.js';

export type ZipkinSenderOptions = HttpPostOptions;

/** `url` is the server's base, e.g. `http://127.0.0.1:9411`. */
export function zipkinSender(url: string, opts: ZipkinSenderOptions = {}): Sender {
  const target = backendUrl('zipkin URL', url, '/api/v2/spans');
  const name = `zipkin ${target.href}`;
  const poster = createPoster(name, target, opts);
  return {
    name,
    async send(spans: Span[], signal?: AbortSignal): Promise<void> {
      if (spans.length === 0) return;
      await poster.post(Buffer.from(encodeZipkinJson(spans)), { 'content-type': 'application/json' }, signal);
    },
    async close() {
      poster.close();
    },
  };
}
