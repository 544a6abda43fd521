/** Parses OTLP/JSON (ExportTraceServiceRequest, or the v3 API's {result: ...}) into ParsedSpans. */
import type { Attr, KindName, ParsedSpan } from '../trace/model.js';
import { KIND_NAMES } from '../trace/model.js';
import { base64ToHex, normId, toNs } from './ids.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Renders an OTLP AnyValue as typed display text. */
export function otlpValue(v: unknown): Omit<Attr, 'key'> {
  const o = obj(v);
  if ('stringValue' in o) return { type: 'string', value: String(o.stringValue) };
  if ('boolValue' in o) return { type: 'bool', value: String(o.boolValue === true || o.boolValue === 'true') };
  if ('intValue' in o) return { type: 'int', value: String(o.intValue) };
  if ('doubleValue' in o) return { type: 'double', value: String(o.doubleValue) };
  if ('bytesValue' in o) return { type: 'bytes', value: safeHex(String(o.bytesValue)) };
  if ('arrayValue' in o) {
    const vals = arr(obj(o.arrayValue).values).map((x) => quoted(otlpValue(x)));
    return { type: 'array', value: `[${vals.join(', ')}]` };
  }
  if ('kvlistValue' in o) {
    const vals = arr(obj(o.kvlistValue).values).map((x) => `${String(obj(x).key)}: ${quoted(otlpValue(obj(x).value))}`);
    return { type: 'kvlist', value: `{${vals.join(', ')}}` };
  }
  return { type: 'null', value: 'null' };
}

function quoted(a: Omit<Attr, 'key'>): string {
  return a.type === 'string' ? JSON.stringify(a.value) : a.value;
}

function safeHex(b64: string): string {
  try {
    return base64ToHex(b64);
  } catch {
    return b64;
  }
}

export function otlpAttrs(list: unknown): Attr[] {
  return arr(list).map((kv) => ({ key: String(obj(kv).key ?? ''), ...otlpValue(obj(kv).value) }));
}

function kindOf(v: unknown): KindName {
  if (typeof v === 'number') return KIND_NAMES[v] ?? 'unspecified';
  if (typeof v === 'string') {
    const k = v.replace(/^SPAN_KIND_/, '').toLowerCase();
    return (KIND_NAMES as string[]).includes(k) ? (k as KindName) : 'unspecified';
  }
  return 'unspecified';
}

function statusOf(v: unknown): ParsedSpan['status'] {
  const o = obj(v);
  const c = o.code;
  const code = c === 2 || c === 'STATUS_CODE_ERROR' ? 'ERROR' : c === 1 || c === 'STATUS_CODE_OK' ? 'OK' : 'UNSET';
  return { code, message: typeof o.message === 'string' ? o.message : '' };
}

/** Every span of an OTLP JSON document; throws an Error naming what is wrong. */
export function parseOtlpJson(doc: unknown, out: ParsedSpan[] = []): ParsedSpan[] {
  let root = obj(doc);
  if ('result' in root) root = obj(root.result);
  if (!Array.isArray(root.resourceSpans)) throw new Error('OTLP JSON needs a "resourceSpans" array');
  root.resourceSpans.forEach((rsRaw, ri) => {
    const rs = obj(rsRaw);
    const resource = otlpAttrs(obj(rs.resource).attributes);
    const service = resource.find((a) => a.key === 'service.name')?.value ?? 'unknown_service';
    arr(rs.scopeSpans ?? rs.instrumentationLibrarySpans).forEach((ssRaw) => {
      const ss = obj(ssRaw);
      const scopeObj = obj(ss.scope ?? ss.instrumentationLibrary);
      const scope = [scopeObj.name, scopeObj.version].filter(Boolean).join(' ');
      arr(ss.spans).forEach((spRaw, si) => {
        const sp = obj(spRaw);
        const where = `resourceSpans[${ri}] span ${si}`;
        const traceId = normId(sp.traceId, 32);
        const spanId = normId(sp.spanId, 16);
        if (!traceId || !spanId) throw new Error(`${where}: traceId and spanId are required`);
        out.push(new OtlpSpan(sp, where, traceId, spanId, service, resource, scope));
      });
    });
  });
  return out;
}

/**
 * A span read from OTLP JSON. Attributes, events and links stay raw until first read: a big
 * trace opens without building millions of attribute objects nobody looks at.
 */
class OtlpSpan implements ParsedSpan {
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: KindName;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly status: ParsedSpan['status'];
  #raw: Json;
  #where: string;
  #attributes?: Attr[];
  #events?: ParsedSpan['events'];
  #links?: ParsedSpan['links'];

  constructor(
    raw: Json,
    where: string,
    readonly traceId: string,
    readonly spanId: string,
    readonly service: string,
    readonly resource: Attr[],
    readonly scope: string,
  ) {
    this.#raw = raw;
    this.#where = where;
    this.parentSpanId = normId(raw.parentSpanId, 16);
    this.name = String(raw.name ?? '');
    this.kind = kindOf(raw.kind);
    this.startNs = toNs(raw.startTimeUnixNano, 1n, `${where} startTimeUnixNano`);
    this.endNs = toNs(raw.endTimeUnixNano, 1n, `${where} endTimeUnixNano`);
    this.status = statusOf(raw.status);
  }

  get attributes(): Attr[] {
    return (this.#attributes ??= otlpAttrs(this.#raw.attributes));
  }

  get events(): ParsedSpan['events'] {
    return (this.#events ??= arr(this.#raw.events).map((e) => ({
      timeNs: toNs(obj(e).timeUnixNano, 1n, `${this.#where} event time`),
      name: String(obj(e).name ?? ''),
      attributes: otlpAttrs(obj(e).attributes),
    })));
  }

  get links(): ParsedSpan['links'] {
    return (this.#links ??= arr(this.#raw.links).map((l) => ({
      traceId: normId(obj(l).traceId, 32),
      spanId: normId(obj(l).spanId, 16),
      attributes: otlpAttrs(obj(l).attributes),
    })));
  }

  /** Event times only, for the timeline's ticks (no attribute objects). */
  get eventTimes(): bigint[] {
    return arr(this.#raw.events).map((e) => toNs(obj(e).timeUnixNano, 1n, `${this.#where} event time`));
  }
}

/** A plain copy of a span (lazy fields resolved), for postMessage and JSON. */
export function plainSpan(s: ParsedSpan): ParsedSpan {
  return {
    traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind, service: s.service,
    startNs: s.startNs, endNs: s.endNs, attributes: s.attributes, resource: s.resource, scope: s.scope,
    events: s.events, links: s.links, status: s.status,
  };
}
