/** Zipkin v1 JSON (POST /api/v1/spans) -> v2 spans, following zipkin2's V1SpanConverter. */
import { DecodeError } from '../protobuf/decode-error.js';
import type { Span } from '../span.js';
import { endpointOf, hexId, isObj, micros, parseJson, str } from './json.js';
import { zipkinToSpans } from './to-span.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinSpan } from './types.js';

interface V1Annotation extends ZipkinAnnotation {
  endpoint?: ZipkinEndpoint;
}
const CORE = new Set(['cs', 'cr', 'sr', 'ss', 'ms', 'ws', 'mr', 'wr']);

const fail = (path: string, reason: string): never => {
  throw new DecodeError(reason, -1, path);
};

function convert(v: Record<string, unknown>, path: string): ZipkinSpan[] {
  const traceId = hexId(v.traceId, `${path}.traceId`, 32, true)!;
  const id = hexId(v.id, `${path}.id`, 16, true)!;
  const parentId = hexId(v.parentId, `${path}.parentId`, 16, false);
  const name = str(v.name, `${path}.name`);
  const timestamp = micros(v.timestamp, `${path}.timestamp`);
  const duration = micros(v.duration, `${path}.duration`);
  const core = new Map<string, V1Annotation>();
  const plain: V1Annotation[] = [];
  if (v.annotations != null && !Array.isArray(v.annotations)) fail(`${path}.annotations`, 'must be an array');
  ((v.annotations as unknown[] | undefined) ?? []).forEach((a, i) => {
    const p = `${path}.annotations[${i}]`;
    if (!isObj(a)) return fail(p, 'must be an object');
    const ts = micros(a.timestamp, `${p}.timestamp`);
    if (ts === undefined) fail(`${p}.timestamp`, 'missing');
    const ann: V1Annotation = { timestamp: ts!, value: str(a.value, `${p}.value`) ?? '', endpoint: endpointOf(a.endpoint, `${p}.endpoint`) };
    if (CORE.has(ann.value)) core.set(ann.value, ann);
    else plain.push(ann);
  });
  const tags: Record<string, string> = {};
  const addresses = new Map<string, ZipkinEndpoint | undefined>();
  let anyEndpoint: ZipkinEndpoint | undefined;
  if (v.binaryAnnotations != null && !Array.isArray(v.binaryAnnotations)) fail(`${path}.binaryAnnotations`, 'must be an array');
  ((v.binaryAnnotations as unknown[] | undefined) ?? []).forEach((b, i) => {
    const p = `${path}.binaryAnnotations[${i}]`;
    if (!isObj(b)) return fail(p, 'must be an object');
    const key = str(b.key, `${p}.key`);
    if (!key) return fail(`${p}.key`, 'missing');
    const ep = endpointOf(b.endpoint, `${p}.endpoint`);
    if ((key === 'sa' || key === 'ca' || key === 'ma') && (b.value === true || b.value === 1 || b.value === 'true')) {
      addresses.set(key, ep);
      return;
    }
    anyEndpoint ??= ep;
    if (key === 'lc' && ep) anyEndpoint = ep;
    tags[key] = typeof b.value === 'string' ? b.value : JSON.stringify(b.value ?? '');
  });

  const out: ZipkinSpan[] = [];
  const base = (): ZipkinSpan => {
    const z: ZipkinSpan = { traceId, id };
    if (parentId) z.parentId = parentId;
    if (name !== undefined) z.name = name;
    if (v.debug === true) z.debug = true;
    return z;
  };
  const half = (kind: ZipkinSpan['kind'], begin?: V1Annotation, end?: V1Annotation, remote?: string): ZipkinSpan => {
    const z = base();
    z.kind = kind;
    const ep = begin?.endpoint ?? end?.endpoint;
    if (ep) z.localEndpoint = ep;
    if (begin) z.timestamp = begin.timestamp;
    else if (end) z.timestamp = end.timestamp;
    if (begin && end && end.timestamp >= begin.timestamp) z.duration = end.timestamp - begin.timestamp;
    const r = remote ? addresses.get(remote) : undefined;
    if (r) z.remoteEndpoint = r;
    out.push(z);
    return z;
  };
  const cs = core.get('cs') ?? core.get('cr');
  const sr = core.get('sr') ?? core.get('ss');
  if (cs) half('CLIENT', core.get('cs'), core.get('cr'), 'sa');
  if (sr) {
    const z = half('SERVER', core.get('sr'), core.get('ss'), 'ca');
    // A server half next to a client half, or one whose span-level timestamp was left to the
    // client (zipkin-js does this when it joined the caller's span), shares the client's id.
    if (cs || timestamp === undefined) z.shared = true;
  }
  if (core.has('ms') || core.has('ws')) half('PRODUCER', core.get('ms'), core.get('ws'), 'ma');
  if (core.has('mr') || core.has('wr')) {
    const wr = core.get('wr');
    half('CONSUMER', wr ?? core.get('mr'), wr ? core.get('mr') : undefined, 'ma');
  }
  if (out.length === 0) {
    const z = base();
    const ep = anyEndpoint ?? plain[0]?.endpoint;
    if (ep) z.localEndpoint = ep;
    const remote = addresses.get('sa') ?? addresses.get('ca') ?? addresses.get('ma');
    if (remote) z.remoteEndpoint = remote;
    out.push(z);
  }
  const first = out[0]!;
  // The span-level timestamp and duration are authoritative for the span that owns them.
  if (timestamp !== undefined) first.timestamp = timestamp;
  if (duration !== undefined) first.duration = duration;
  first.localEndpoint ??= anyEndpoint;
  if (!first.localEndpoint) delete first.localEndpoint;
  if (Object.keys(tags).length) first.tags = tags;
  if (plain.length) first.annotations = plain.map((a) => ({ timestamp: a.timestamp, value: a.value }));
  return out;
}

/** Validates a parsed v1 JSON body into v2 ZipkinSpans (one v1 span may become two). */
export function zipkinV1SpansOf(doc: unknown): ZipkinSpan[] {
  if (!Array.isArray(doc)) return fail('', 'a Zipkin v1 body must be a JSON array of spans');
  return doc.flatMap((v, i) => {
    if (!isObj(v)) return fail(`spans[${i}]`, 'must be a span object');
    return convert(v, `spans[${i}]`);
  });
}

export function decodeZipkinV1Json(input: string | Uint8Array): Span[] {
  return zipkinToSpans(zipkinV1SpansOf(parseJson(input)));
}
