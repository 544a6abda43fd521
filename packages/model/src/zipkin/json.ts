/** Zipkin v2 JSON (POST /api/v2/spans): validation into ZipkinSpan, decode to and encode from spans. */
import { DecodeError } from '../protobuf/decode-error.js';
import type { Span } from '../span.js';
import { spansToZipkin } from './from-span.js';
import { zipkinToSpans } from './to-span.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinKind, ZipkinSpan } from './types.js';

type Obj = Record<string, unknown>;
const HEX = /^[0-9a-fA-F]+$/;
const KINDS = new Set(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']);

const fail = (path: string, reason: string): never => {
  throw new DecodeError(reason, -1, path);
};
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses JSON text or bytes, turning a syntax error into a DecodeError. */
export function parseJson(input: string | Uint8Array): unknown {
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail('', `invalid JSON: ${(e as Error).message}`);
  }
}

export function hexId(v: unknown, path: string, max: number, required: boolean): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (required) fail(path, 'missing');
    return undefined;
  }
  if (typeof v !== 'string' || !HEX.test(v) || v.length > max) return fail(path, `must be 1 to ${max} hex digits, got ${JSON.stringify(v)}`);
  if (required && /^0+$/.test(v)) fail(path, 'must not be all zeros');
  return v;
}

/** A non-negative integer (µs); floats are truncated, as Zipkin's own parser does. */
export function micros(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return fail(path, `must be a non-negative number of microseconds, got ${JSON.stringify(v)}`);
  return Math.trunc(v);
}

export function str(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return fail(path, `must be a string, got ${typeof v}`);
  return v;
}

export function endpointOf(v: unknown, path: string): ZipkinEndpoint | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) return fail(path, 'must be an object');
  const ep: ZipkinEndpoint = {};
  const serviceName = str(v.serviceName, `${path}.serviceName`);
  if (serviceName) ep.serviceName = serviceName;
  const ipv4 = str(v.ipv4, `${path}.ipv4`);
  if (ipv4) ep.ipv4 = ipv4;
  const ipv6 = str(v.ipv6, `${path}.ipv6`);
  if (ipv6) ep.ipv6 = ipv6;
  if (v.port !== undefined && v.port !== null) {
    if (typeof v.port !== 'number' || !Number.isInteger(v.port) || v.port < 0 || v.port > 65535) fail(`${path}.port`, 'must be an integer 0..65535');
    if (v.port) ep.port = v.port as number;
  }
  return ep;
}

function spanOf(v: unknown, path: string): ZipkinSpan {
  if (!isObj(v)) return fail(path, 'must be a span object');
  const z: ZipkinSpan = { traceId: hexId(v.traceId, `${path}.traceId`, 32, true)!, id: hexId(v.id, `${path}.id`, 16, true)! };
  const parentId = hexId(v.parentId, `${path}.parentId`, 16, false);
  if (parentId) z.parentId = parentId;
  const name = str(v.name, `${path}.name`);
  if (name !== undefined) z.name = name;
  if (v.kind !== undefined && v.kind !== null) {
    if (typeof v.kind !== 'string' || !KINDS.has(v.kind)) fail(`${path}.kind`, `must be CLIENT, SERVER, PRODUCER or CONSUMER, got ${JSON.stringify(v.kind)}`);
    z.kind = v.kind as ZipkinKind;
  }
  const ts = micros(v.timestamp, `${path}.timestamp`);
  if (ts !== undefined) z.timestamp = ts;
  const dur = micros(v.duration, `${path}.duration`);
  if (dur !== undefined) z.duration = dur;
  if (v.debug === true) z.debug = true;
  if (v.shared === true) z.shared = true;
  const local = endpointOf(v.localEndpoint, `${path}.localEndpoint`);
  if (local) z.localEndpoint = local;
  const remote = endpointOf(v.remoteEndpoint, `${path}.remoteEndpoint`);
  if (remote) z.remoteEndpoint = remote;
  if (v.annotations !== undefined && v.annotations !== null) {
    if (!Array.isArray(v.annotations)) fail(`${path}.annotations`, 'must be an array');
    z.annotations = (v.annotations as unknown[]).map((a, i): ZipkinAnnotation => {
      const p = `${path}.annotations[${i}]`;
      if (!isObj(a)) return fail(p, 'must be an object');
      const timestamp = micros(a.timestamp, `${p}.timestamp`);
      if (timestamp === undefined) fail(`${p}.timestamp`, 'missing');
      return { timestamp: timestamp!, value: str(a.value, `${p}.value`) ?? '' };
    });
  }
  if (v.tags !== undefined && v.tags !== null) {
    if (!isObj(v.tags)) fail(`${path}.tags`, 'must be an object of strings');
    const tags: Record<string, string> = {};
    for (const [k, t] of Object.entries(v.tags as Obj)) {
      // Zipkin requires strings; some clients send numbers and bools, which we take as text.
      if (typeof t === 'string') tags[k] = t;
      else if (typeof t === 'number' || typeof t === 'boolean') tags[k] = String(t);
      else if (t !== null) fail(`${path}.tags.${k}`, `must be a string, got ${typeof t}`);
    }
    z.tags = tags;
  }
  return z;
}

/** Validates a parsed v2 JSON body (an array of spans) into ZipkinSpans. */
export function zipkinSpansOf(doc: unknown): ZipkinSpan[] {
  if (!Array.isArray(doc)) return fail('', 'a Zipkin v2 body must be a JSON array of spans');
  return doc.map((v, i) => spanOf(v, `spans[${i}]`));
}

/** Decodes a Zipkin v2 JSON body; throws DecodeError naming the bad field. */
export function decodeZipkinJson(input: string | Uint8Array): Span[] {
  return zipkinToSpans(zipkinSpansOf(parseJson(input)));
}

export function encodeZipkinJson(spans: Span[]): string {
  return JSON.stringify(spansToZipkin(spans));
}
