/**
 * Jaeger's JSON trace format (the query API's `{data: [trace]}`, the UI's "download JSON", or a bare
 * trace or array of traces) -> canonical spans, for `skein import`. Same rules as the thrift decoder.
 */
import { DecodeError } from '../protobuf/decode-error.js';
import type { AnyValue, KeyValue, Resource, Scope, Span, SpanEvent } from '../span.js';
import { toSpan, type Ref } from './decode.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: string, reason: string): never => {
  throw new DecodeError(reason, -1, path);
};

function hex(v: unknown, path: string, digits: number, required = true): string {
  if ((v === undefined || v === null || v === '') && !required) return '';
  if (typeof v !== 'string' || !/^[0-9a-fA-F]+$/.test(v) || v.length > digits) return fail(path, `must be 1 to ${digits} hex digits, got ${JSON.stringify(v)}`);
  return v.toLowerCase().padStart(digits, '0');
}

function int(v: unknown, path: string): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return fail(path, `must be an integer, got ${JSON.stringify(v)}`);
}

function tagValue(t: Obj, path: string): AnyValue {
  const v = t.value;
  switch (String(t.type ?? 'string').toLowerCase()) {
    case 'string': return typeof v === 'string' ? v : JSON.stringify(v ?? '');
    case 'bool': return v === true || v === 'true';
    case 'int64': return int(v, `${path}.value`);
    case 'float64': return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : fail(`${path}.value`, 'must be a number');
    case 'binary': return typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : fail(`${path}.value`, 'must be base64 text');
    default: return fail(`${path}.type`, `unknown tag type ${JSON.stringify(t.type)}`);
  }
}

function tags(v: unknown, path: string): KeyValue[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(path, 'must be an array of {key, type, value}');
  return v.map((t, i) => {
    if (!isObj(t) || typeof t.key !== 'string') return fail(`${path}[${i}]`, 'must be {key, type, value}');
    return { key: t.key, value: tagValue(t, `${path}[${i}]`) };
  });
}

function resourceOf(p: unknown, path: string): Resource {
  if (!isObj(p)) return fail(path, 'must be a process {serviceName, tags}');
  const service = typeof p.serviceName === 'string' ? p.serviceName : '';
  const t = tags(p.tags, `${path}.tags`).filter((x) => x.key !== 'service.name');
  return { attributes: [{ key: 'service.name', value: service }, ...t], droppedAttributesCount: 0, schemaUrl: '' };
}

export interface JaegerJsonOptions {
  /** When set, a span that cannot be decoded is skipped and its error passed here, instead of thrown. */
  onBadSpan?: (err: DecodeError) => void;
}

function traceSpans(trace: unknown, path: string, out: Span[], onBadSpan: JaegerJsonOptions['onBadSpan']): void {
  if (!isObj(trace)) return fail(path, 'must be a trace {traceID, spans, processes}');
  const processes = new Map<string, Resource>();
  if (isObj(trace.processes)) for (const [id, p] of Object.entries(trace.processes)) processes.set(id, resourceOf(p, `${path}.processes.${id}`));
  if (!Array.isArray(trace.spans)) return fail(`${path}.spans`, 'must be an array');
  const scopes = new Map<string, Scope>();
  const spanOf = (s: unknown, i: number): void => {
    const sp = `${path}.spans[${i}]`;
    if (!isObj(s)) return fail(sp, 'must be a span object');
    const traceId = hex(s.traceID ?? trace.traceID, `${sp}.traceID`, 32);
    const refs: Ref[] = [];
    if (s.references != null && !Array.isArray(s.references)) fail(`${sp}.references`, 'must be an array');
    ((s.references as unknown[] | undefined) ?? []).forEach((r, j) => {
      if (!isObj(r)) return fail(`${sp}.references[${j}]`, 'must be {refType, traceID, spanID}');
      refs.push({ type: r.refType === 'FOLLOWS_FROM' ? 1 : 0, traceId: hex(r.traceID ?? traceId, `${sp}.references[${j}].traceID`, 32), spanId: hex(r.spanID, `${sp}.references[${j}].spanID`, 16) });
    });
    let resource = s.process !== undefined ? resourceOf(s.process, `${sp}.process`) : processes.get(String(s.processID));
    if (!resource) resource = fail(`${sp}.processID`, `refers to process ${JSON.stringify(s.processID)}, which is not in processes`);
    const events: SpanEvent[] = [];
    if (s.logs != null && !Array.isArray(s.logs)) fail(`${sp}.logs`, 'must be an array');
    ((s.logs as unknown[] | undefined) ?? []).forEach((l, j) => {
      if (!isObj(l)) return fail(`${sp}.logs[${j}]`, 'must be {timestamp, fields}');
      let name = '';
      const attributes: KeyValue[] = [];
      for (const f of tags(l.fields, `${sp}.logs[${j}].fields`)) {
        if (f.key === 'event' && typeof f.value === 'string' && name === '') name = f.value;
        else attributes.push(f);
      }
      events.push({ timeUnixNano: int(l.timestamp, `${sp}.logs[${j}].timestamp`) * 1000n, name, attributes, droppedAttributesCount: 0 });
    });
    const raw = {
      traceId,
      spanId: hex(s.spanID, `${sp}.spanID`, 16),
      parentSpanId: hex(s.parentSpanID, `${sp}.parentSpanID`, 16, false).replace(/^0+$/, ''),
      name: typeof s.operationName === 'string' ? s.operationName : '',
      flags: typeof s.flags === 'number' ? s.flags : 1,
      start: int(s.startTime, `${sp}.startTime`),
      duration: s.duration === undefined ? 0n : int(s.duration, `${sp}.duration`),
      tags: tags(s.tags, `${sp}.tags`),
      events,
      refs,
    };
    out.push(toSpan(raw, resource, scopes));
  };
  trace.spans.forEach((s: unknown, i) => {
    if (!onBadSpan) return spanOf(s, i);
    try {
      spanOf(s, i);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      onBadSpan(e);
    }
  });
}

/**
 * Decodes Jaeger JSON; throws DecodeError naming the bad field (e.g. `data[0].spans[3].startTime`),
 * or with `onBadSpan` skips the spans that fail and reports each.
 */
export function decodeJaegerJson(input: string | Uint8Array | unknown, opts: JaegerJsonOptions = {}): Span[] {
  let doc = input;
  if (input instanceof Uint8Array) doc = new TextDecoder().decode(input);
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (e) {
      return fail('', `invalid JSON: ${(e as Error).message}`);
    }
  }
  const out: Span[] = [];
  if (isObj(doc) && Array.isArray(doc.data)) doc.data.forEach((t: unknown, i) => traceSpans(t, `data[${i}]`, out, opts.onBadSpan));
  else if (Array.isArray(doc)) doc.forEach((t, i) => traceSpans(t, `[${i}]`, out, opts.onBadSpan));
  else if (isObj(doc) && Array.isArray(doc.spans)) traceSpans(doc, 'trace', out, opts.onBadSpan);
  else fail('', 'Jaeger JSON must be {data: [trace]}, a trace {traceID, spans, processes}, or an array of traces');
  return out;
}
