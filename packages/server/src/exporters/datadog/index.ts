/** datadogSender: PUTs v0.4 msgpack traces to a Datadog agent's `<url>/v0.4/traces` (or to Skein's receiver). */
import { encodeDatadogV04, type Span } from '@skein/model';
import type { Sender } from '../sender.js';
import { backendUrl, createPoster, type HttpPostOptions } from '../http-post.js';

export type DatadogSenderOptions = HttpPostOptions;

/** `url` is the agent's base, e.g. `http://127.0.0.1:8126`. */
export function datadogSender(url: string, opts: DatadogSenderOptions = {}): Sender {
  const target = backendUrl('datadog URL', url, '/v0.4/traces');
  const name = `datadog ${target.href}`;
  const poster = createPoster(name, target, opts);
  return {
    name,
    async send(spans: Span[], signal?: AbortSignal): Promise<void> {
      if (spans.length === 0) return;
      const { body, traceCount } = encodeDatadogV04(spans);
      await poster.post(
        body,
        {
          'content-type': 'application/msgpack',
          'x-datadog-trace-count': String(traceCount),
          'datadog-meta-lang': 'skein',
          'datadog-meta-tracer-version': '0.1.0',
        },
        signal,
        'PUT',
      );
    },
    async close() {
      poster.close();
    },
  };
}
