/**
 * Fetches one trace as canonical spans: API v3 first (OTLP JSON, exact ns), then the classic
 * Jaeger API (µs), so `skein trace show` also reads a plain Jaeger query service.
 */
import { decodeOtlpJson, type Span } from '@skein/model';
import { CliError, usageError } from '../errors.js';
import { getJson } from './query-client.js';
import { jaegerTraceToSpans, type JTrace } from './jaeger-json.js';

export function checkTraceId(id: string): string {
  if (!/^[0-9a-fA-F]{1,32}$/.test(id)) throw usageError(`"${id}" is not a trace id (up to 32 hex digits, e.g. from \`skein search\`)`);
  return id.toLowerCase().padStart(32, '0');
}

export async function fetchTrace(server: string, traceId: string): Promise<Span[]> {
  const id = checkTraceId(traceId);
  {
    try {
      const v3 = await getJson(server, `/api/v3/traces/${id}`, { accept404: true });
      const result = (v3.body as { result?: object } | undefined)?.result;
      if (result) {
        const spans = decodeOtlpJson(result).spans;
        if (spans.length > 0) return spans;
      }
    } catch (e) {
      if (e instanceof CliError && e.code === 'SKEIN_CLI_UNREACHABLE') throw e;
      // fall back to the classic API (a Jaeger without v3, or a v3 error)
    }
  }
  const classic = await getJson(server, `/api/traces/${id}`, { accept404: true });
  const data = (classic.body as { data?: JTrace[] } | undefined)?.data ?? [];
  const spans = data.flatMap((t) => jaegerTraceToSpans(t).spans);
  if (spans.length === 0) {
    throw new CliError('SKEIN_CLI_NOT_FOUND', `trace ${id} was not found at ${server}; list recent ones with \`skein search --service NAME\``);
  }
  return spans;
}
