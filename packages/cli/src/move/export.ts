/** `skein export ID --format otlp-json|jaeger|zipkin`: one trace in a portable format. */
import { encodeOtlpJson, encodeZipkinJson } from '@skein/model';
import { serverUrl } from '../commands/options.js';
import { CliError, usageError } from '../errors.js';
import { checkTraceId, fetchTrace } from '../io/fetch-trace.js';
import { getJson } from '../io/query-client.js';
import { formatOf } from './formats.js';

export async function exportTrace(o: { trace?: string; format: string; server?: string; output?: string }): Promise<void> {
  const format = formatOf(o.format);
  if (!o.trace) throw usageError('skein export needs a trace id: skein export ID (find ids with `skein search`)');
  const server = serverUrl(o.server);
  let text: string;
  if (format === 'jaeger') {
    // the classic API already speaks Jaeger JSON: pass it through as the Jaeger UI downloads it
    const id = checkTraceId(o.trace);
    const { body } = await getJson(server, `/api/traces/${id}`, { accept404: true });
    const data = (body as { data?: unknown[] } | undefined)?.data ?? [];
    if (data.length === 0) throw new CliError('SKEIN_CLI_NOT_FOUND', `trace ${id} was not found at ${server}`);
    text = JSON.stringify({ data }, null, 2);
  } else if (format === 'otlp-json') {
    text = JSON.stringify(encodeOtlpJson(await fetchTrace(server, o.trace)));
  } else if (format === 'zipkin') {
    text = encodeZipkinJson(await fetchTrace(server, o.trace));
  } else {
    throw usageError(`--format "${o.format}" is not one of otlp-json, jaeger, zipkin`);
  }
  if (o.output) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(o.output, text + '\n');
  } else process.stdout.write(text + '\n');
}
