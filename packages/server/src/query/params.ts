/** Parsers for query parameters; each throws a 400 ApiError naming the parameter. */
import { normalizeTraceId } from '@skein/model';
import { badParam } from './http.js';

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu; Go accepts both
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration: "10ms", "1.5s", "1h30m", "-2s", "0". Exact: fractions are done in integers. */
export function goDurationNs(text: string): bigint | undefined {
  let s = text.trim();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  const re = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0n;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || (m[1] === '' && !m[2])) return undefined;
    const unit = UNIT_NS[m[3]!]!;
    total += BigInt(m[1] || '0') * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    pos = re.lastIndex;
  }
  return sign * total;
}

/** A duration parameter (Go syntax); empty text means "not given". */
export function durationParam(name: string, text: string | null): bigint | undefined {
  if (text === null || text.trim() === '') return undefined;
  const ns = goDurationNs(text);
  if (ns === undefined || ns < 0n) throw badParam(name, 'a duration such as 10ms, 1.5s or 2m', text);
  return ns;
}

const DAY_NS = 86_400_000_000_000n;

/** The Jaeger UI's lookback ("5m", "1h", "2d", "2w", "custom"); undefined for custom or empty. */
export function lookbackParam(name: string, text: string | null): bigint | undefined {
  if (text === null || text === '' || text === 'custom') return undefined;
  const m = /^(\d+)(d|w)$/.exec(text);
  if (m) return BigInt(m[1]!) * DAY_NS * (m[2] === 'w' ? 7n : 1n);
  const ns = goDurationNs(text);
  if (ns === undefined || ns <= 0n) throw badParam(name, "a lookback such as 1h, 2d, 1w or 'custom'", text);
  return ns;
}

/** A non-negative integer; empty text means "not given". */
export function intParam(name: string, text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw badParam(name, 'a non-negative integer', text);
  return Number(text);
}

/** An integer count of `unitNs` since the epoch (µs for start/end, ms for endTs), as ns. */
export function epochParam(name: string, text: string | null, unitNs: bigint, unit: string): bigint | undefined {
  if (text === null || text === '') return undefined;
  if (!/^-?\d{1,20}$/.test(text)) throw badParam(name, `an integer time in ${unit} since the epoch`, text);
  return BigInt(text) * unitNs;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time with up to nanosecond digits, as ns since the epoch. */
export function rfc3339Param(name: string, text: string | null): bigint | undefined {
  if (text === null || text === '') return undefined;
  const m = RFC3339.exec(text);
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${m[4]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) throw badParam(name, 'an RFC 3339 time such as 2024-05-01T12:00:00.000Z', text);
  const frac = BigInt((m[3] ?? '').padEnd(9, '0'));
  return BigInt(ms) * 1_000_000n + frac;
}

export function boolParam(name: string, text: string | null): boolean | undefined {
  if (text === null || text === '') return undefined;
  const t = text.toLowerCase();
  if (t === 'true' || t === '1' || t === 't') return true;
  if (t === 'false' || t === '0' || t === 'f') return false;
  throw badParam(name, 'true or false', text);
}

/**
 * A trace id of 1..32 hex digits (16-digit Jaeger/Zipkin ids included), as 32 lowercase digits.
 * With `base64`, 16 bytes in (URL-safe) base64 are taken too, as Jaeger's API v3 does.
 */
export function traceIdParam(name: string, text: string, base64 = false): string {
  let id = normalizeTraceId(text);
  if (id === undefined && base64 && /^[A-Za-z0-9+/_-]{22}(==)?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 16) id = bytes.toString('hex');
  }
  if (id === undefined) throw badParam(name, 'a trace id of 32 (or 16) hex digits', text);
  return id;
}

/** A JSON object of tag filters; values that are numbers or booleans are compared as text. */
export function tagsJsonParam(name: string, text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badParam(name, 'a JSON object such as {"http.status_code":"500"}', text);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badParam(name, 'a JSON object such as {"http.status_code":"500"}', text);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw badParam(name, `a string value for tag '${k}'`, JSON.stringify(v));
  }
  return out;
}

/** Repeated `tag=key:value` parameters (the value may itself hold colons). */
export function tagParams(name: string, values: string[], into: Record<string, string>): void {
  for (const t of values) {
    const i = t.indexOf(':');
    if (i <= 0) throw badParam(name, 'key:value', t);
    into[t.slice(0, i)] = t.slice(i + 1);
  }
}

const KINDS = new Set(['', 'unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);

/** A span kind as Jaeger names it (lowercase); '' means any. */
export function spanKindParam(name: string, text: string | null): string {
  const kind = (text ?? '').toLowerCase();
  if (!KINDS.has(kind)) throw badParam(name, 'one of internal, server, client, producer, consumer', text ?? '');
  return kind;
}
