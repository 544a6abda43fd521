/** `skein tail`: follows skein serve's NDJSON stream (`GET /api/skein/tail`) and prints spans. */
import { decodeOtlpJson, serviceName, type Span } from '@skein/model';
import { serverUrl } from '../commands/options.js';
import { CliError } from '../errors.js';
import { open } from '../io/http.js';
import { unreachable } from '../io/query-client.js';
import { formatDuration, makePaint, wantColor } from '../view/format.js';

export async function tailSpans(o: { server?: string; service?: string; json?: boolean; color?: boolean }): Promise<void> {
  const server = serverUrl(o.server);
  const url = `${server}/api/skein/tail${o.service ? `?service=${encodeURIComponent(o.service)}` : ''}`;
  let res: Awaited<ReturnType<typeof open>>;
  try {
    res = await open(url);
  } catch (e) {
    throw unreachable(server, e);
  }
  if (res.statusCode === 404) throw new CliError('SKEIN_CLI_API', `${server} has no live tail (/api/skein/tail); it needs skein serve, not another Jaeger query service`);
  if (res.statusCode !== 200) throw new CliError('SKEIN_CLI_API', `${url} answered ${res.statusCode}`);
  process.stderr.write(`following ${url} (Ctrl-C to stop)\n`);
  const color = wantColor(o.color);
  let pending = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line === '') continue;
        if (o.json) {
          process.stdout.write(line + '\n');
          continue;
        }
        const msg = JSON.parse(line) as { dropped?: number };
        if (typeof msg.dropped === 'number') {
          process.stderr.write(`skein tail: ${msg.dropped} spans skipped (the terminal could not keep up)\n`);
          continue;
        }
        const spans = decodeOtlpJson(msg).spans;
        const paint = makePaint(color, spans.map((s) => serviceName(s.resource)));
        for (const s of spans) process.stdout.write(spanLine(s, paint) + '\n');
      }
    }
  } catch (e) {
    // a server that exits mid-stream resets the connection instead of ending the response
    if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') throw e;
  }
  process.stderr.write('skein tail: the server closed the stream\n');
}

export function spanLine(s: Span, paint: ReturnType<typeof makePaint>): string {
  const when = new Date(Number(s.startTimeUnixNano / 1_000_000n)).toISOString().slice(11, 23);
  const service = serviceName(s.resource);
  const dur = formatDuration(s.endTimeUnixNano - s.startTimeUnixNano).padStart(8);
  const err = s.status.code === 2 ? ` ${paint.red(`✗ ${s.status.message || 'error'}`)}` : '';
  return `${when} ${dur}  ${paint.service(service, service)}  ${s.name}${err}  ${paint.dim(`${s.traceId}/${s.spanId}`)}`;
}
