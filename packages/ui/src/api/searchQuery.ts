/** The search form's state and its URL form, so a link reproduces a search. */
import { unquote } from '../worker/find.js';

export interface SearchState {
  service: string;
  operation: string;
  /** Attribute filters, one `key=value` per line. */
  tags: string;
  minDuration: string;
  maxDuration: string;
  /** A preset like 1h, or 'custom' with start/end. */
  lookback: string;
  start: string;
  end: string;
  limit: number;
}

export const LOOKBACKS: [string, string, number][] = [
  ['5m', 'Last 5 minutes', 5 * 60e3],
  ['15m', 'Last 15 minutes', 15 * 60e3],
  ['1h', 'Last hour', 3600e3],
  ['6h', 'Last 6 hours', 6 * 3600e3],
  ['24h', 'Last 24 hours', 24 * 3600e3],
  ['2d', 'Last 2 days', 2 * 86400e3],
  ['7d', 'Last 7 days', 7 * 86400e3],
];

export const defaultSearch = (): SearchState => ({
  service: '', operation: '', tags: '', minDuration: '', maxDuration: '', lookback: '1h', start: '', end: '', limit: 20,
});

export function searchFromUrl(q: URLSearchParams): SearchState {
  const d = defaultSearch();
  const limit = Number(q.get('limit'));
  return {
    service: q.get('service') ?? d.service,
    operation: q.get('operation') ?? d.operation,
    tags: q.getAll('tag').join('\n'),
    minDuration: q.get('minDuration') ?? '',
    maxDuration: q.get('maxDuration') ?? '',
    lookback: q.get('lookback') ?? d.lookback,
    start: q.get('start') ?? '',
    end: q.get('end') ?? '',
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1500) : d.limit,
  };
}

export function searchToUrl(s: SearchState): URLSearchParams {
  const q = new URLSearchParams();
  if (s.service) q.set('service', s.service);
  if (s.operation) q.set('operation', s.operation);
  for (const line of s.tags.split('\n')) if (line.trim()) q.append('tag', line.trim());
  if (s.minDuration) q.set('minDuration', s.minDuration);
  if (s.maxDuration) q.set('maxDuration', s.maxDuration);
  q.set('lookback', s.lookback);
  if (s.lookback === 'custom') {
    q.set('start', s.start);
    q.set('end', s.end);
  }
  q.set('limit', String(s.limit));
  return q;
}

/**
 * Attribute filters, one per line: `key=value`. The key ends at the first `=`; the value is the
 * rest of the line, kept whole (spaces and further `=` included), with one layer of matching
 */
export function parseTags(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`attribute filter "${line}" needs the form key=value`);
    const key = unquote(line.slice(0, eq).trim());
    if (!key) throw new Error(`attribute filter "${line}" has an empty key`);
    out[key] = unquote(line.slice(eq + 1).trim());
  }
  return out;
}

const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/;

export function checkDuration(label: string, v: string): string {
  const t = v.trim();
  if (t && !DURATION.test(t)) throw new Error(`${label} "${t}" is not a duration like 100ms, 1.5s or 2m`);
  return t.replace('µs', 'us');
}

/** The [start, end] range of a search in ms since the epoch. */
export function searchRange(s: SearchState, nowMs = Date.now()): [number, number] {
  if (s.lookback === 'custom') {
    const a = Date.parse(s.start), b = s.end ? Date.parse(s.end) : nowMs;
    if (Number.isNaN(a)) throw new Error('pick a start time for the custom range');
    if (Number.isNaN(b)) throw new Error('the end time of the custom range is not a date');
    if (b <= a) throw new Error('the custom range ends before it starts');
    return [a, b];
  }
  const ms = LOOKBACKS.find((l) => l[0] === s.lookback)?.[2] ?? 3600e3;
  return [nowMs - ms, nowMs];
}
