/** `skein search` and `skein services` over the classic Jaeger query API. */
import { parseDurationNs, serviceName, type Span } from '@skein/model';
import { serverUrl } from '../commands/options.js';
import { usageError } from '../errors.js';
import { getJson } from '../io/query-client.js';
import { jaegerTraceToSpans, type JTrace } from '../io/jaeger-json.js';
import { parseTimeNs } from '../trace/time.js';
import { fit, formatDuration, terminalWidth } from '../view/format.js';

interface SearchFlags {
  server?: string;
  service?: string;
  operation?: string;
  attr: string[];
  minDuration?: string;
  maxDuration?: string;
  since?: string;
  start?: string;
  end?: string;
  limit: number;
  json?: boolean;
}

const duration = (flag: string, v: string | undefined): string | undefined => {
  if (v === undefined) return undefined;
  if (parseDurationNs(v) === undefined) throw usageError(`${flag} "${v}" is not a duration like 250ms, 1.5s or 2m`);
  return v;
};

export async function searchTraces(o: SearchFlags): Promise<void> {
  if (!o.service) throw usageError('skein search needs --service NAME (see `skein services` for the names)');
  const q = new URLSearchParams({ service: o.service, limit: String(o.limit) });
  if (o.operation) q.set('operation', o.operation);
  if (o.attr.length > 0) {
    const tags: Record<string, string> = {};
    for (const a of o.attr) {
      const eq = a.indexOf('=');
      if (eq <= 0) throw usageError(`--attr "${a}" is not key=value`);
      tags[a.slice(0, eq)] = a.slice(eq + 1);
    }
    q.set('tags', JSON.stringify(tags));
  }
  const min = duration('--min-duration', o.minDuration);
  const max = duration('--max-duration', o.maxDuration);
  if (min) q.set('minDuration', min);
  if (max) q.set('maxDuration', max);
  const endNs = o.end ? parse('--end', o.end) : undefined;
  let startNs: bigint | undefined;
  if (o.start) startNs = parse('--start', o.start);
  else {
    const back = parseDurationNs(o.since ?? '1h');
    if (back === undefined) throw usageError(`--since "${o.since}" is not a duration like 15m or 24h`);
    startNs = (endNs ?? BigInt(Date.now()) * 1_000_000n) - back;
  }
  q.set('start', String(startNs / 1000n));
  if (endNs !== undefined) q.set('end', String(endNs / 1000n));
  const { body } = await getJson(serverUrl(o.server), `/api/traces?${q}`);
  const traces = ((body as { data?: JTrace[] }).data ?? []).map((t) => jaegerTraceToSpans(t).spans).filter((s) => s.length > 0);
  const rows = traces.map(summarise).sort((a, b) => (a.start > b.start ? -1 : 1));
  if (o.json) {
    for (const r of rows) process.stdout.write(JSON.stringify({ ...r, start: r.start.toString(), durationNano: r.durationNano.toString() }) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(`no traces of ${o.service} match (looked back ${o.start ? `to ${o.start}` : o.since}); widen --since or drop filters\n`);
    return;
  }
  // piped output keeps whole names (scripts cut columns themselves)
  process.stdout.write(table(rows, process.stdout.isTTY || process.env.COLUMNS ? terminalWidth(undefined) : Number.MAX_SAFE_INTEGER));
}

const parse = (flag: string, v: string): bigint => {
  try {
    return parseTimeNs(v, flag);
  } catch (e) {
    throw usageError((e as Error).message);
  }
};

interface Summary {
  traceId: string;
  root: string;
  start: bigint;
  durationNano: bigint;
  spans: number;
  errors: number;
  services: string[];
}

function summarise(spans: Span[]): Summary {
  const ids = new Set(spans.map((s) => s.spanId));
  const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? spans[0]!;
  let start = spans[0]!.startTimeUnixNano;
  let end = spans[0]!.endTimeUnixNano;
  for (const s of spans) {
    if (s.startTimeUnixNano < start) start = s.startTimeUnixNano;
    if (s.endTimeUnixNano > end) end = s.endTimeUnixNano;
  }
  return {
    traceId: root.traceId,
    root: `${serviceName(root.resource)}: ${root.name}`,
    start,
    durationNano: end - start,
    spans: spans.length,
    errors: spans.filter((s) => s.status.code === 2).length,
    services: [...new Set(spans.map((s) => serviceName(s.resource)))].sort(),
  };
}

function table(rows: Summary[], width: number): string {
  const fixed = 32 + 2 + 14 + 2 + 8 + 2 + 5 + 2 + 3 + 2;
  const rootW = Math.max(7, width - 1 - fixed);
  const lines = [
    `${'TRACE ID'.padEnd(32)}  ${'START (UTC)'.padEnd(14)}  ${'DURATION'.padStart(8)}  ${'SPANS'.padStart(5)}  ${'ERR'.padStart(3)}  ROOT`,
  ];
  for (const r of rows) {
    const when = new Date(Number(r.start / 1_000_000n)).toISOString().slice(5, 19).replace('T', ' ');
    lines.push(
      `${r.traceId}  ${when}  ${formatDuration(r.durationNano).padStart(8)}  ${String(r.spans).padStart(5)}  ${(r.errors ? String(r.errors) : '-').padStart(3)}  ${[...r.root].length <= rootW ? r.root : fit(r.root, rootW)}`,
    );
  }
  return lines.join('\n') + `\n${rows.length} trace${rows.length === 1 ? '' : 's'}; draw one with: skein trace show <TRACE ID>\n`;
}

export async function listServices(o: { server?: string; json?: boolean }): Promise<void> {
  const { body } = await getJson(serverUrl(o.server), '/api/services');
  const names = ((body as { data?: string[] }).data ?? []).slice().sort();
  if (o.json) process.stdout.write(JSON.stringify(names) + '\n');
  else if (names.length === 0) process.stdout.write('no services yet: send spans to skein serve (e.g. `skein exec -- true`)\n');
  else process.stdout.write(names.join('\n') + '\n');
}
