/** Canonical spans -> Datadog agent v0.4 (and v0.5) msgpack payloads, per MAPPING.md beside this file. */
import type { KeyValue, Span } from '../span.js';
import { serviceName } from '../span.js';
import { valueToText } from '../zipkin/value-text.js';
import { MsgpackWriter } from './msgpack.js';
import { PRIORITY_KEY } from './to-span.js';

const KIND_NAME = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const RESOURCE_TO_META: Record<string, string> = { 'deployment.environment': 'env', 'deployment.environment.name': 'env', 'service.version': 'version', 'telemetry.sdk.language': 'language' };

interface Flat {
  s: Span;
  meta: [string, string][];
  metrics: [string, number][];
  resource: string;
  type: string;
}

function flatten(s: Span): Flat {
  const meta: [string, string][] = [];
  const metrics: [string, number][] = [];
  let resource = s.name;
  let type = '';
  const put = (kv: KeyValue) => {
    const v = kv.value;
    if (typeof v === 'number') metrics.push([kv.key, v]);
    else if (typeof v === 'bigint') metrics.push([kv.key, Number(v)]);
    else meta.push([kv.key, valueToText(v)]);
  };
  for (const kv of s.resource.attributes) {
    if (kv.key === 'service.name') continue;
    const m = RESOURCE_TO_META[kv.key];
    if (m) meta.push([m, valueToText(kv.value)]);
    else put(kv);
  }
  for (const kv of s.attributes) {
    if (kv.key === 'resource.name' && typeof kv.value === 'string') resource = kv.value;
    else if (kv.key === 'span.type' && typeof kv.value === 'string') type = kv.value;
    else put(kv);
  }
  if (s.traceId.slice(0, 16) !== '0000000000000000') meta.push(['_dd.p.tid', s.traceId.slice(0, 16)]);
  if (s.kind > 0) meta.push(['span.kind', KIND_NAME[s.kind]!]);
  if (s.status.code === 2 && s.status.message && !meta.some(([k]) => k === 'error.message')) meta.push(['error.message', s.status.message]);
  if (s.events.length > 0) {
    const events = s.events.map((e) => {
      const attributes: Record<string, unknown> = {};
      for (const a of e.attributes) attributes[a.key] = typeof a.value === 'string' || typeof a.value === 'number' || typeof a.value === 'boolean' ? a.value : valueToText(a.value);
      return { name: e.name, time_unix_nano: Number(e.timeUnixNano), ...(e.attributes.length ? { attributes } : {}) };
    });
    meta.push(['events', JSON.stringify(events)]);
  }
  if (s.links.length > 0) {
    const links = s.links.map((l) => {
      const attributes: Record<string, string> = {};
      for (const a of l.attributes) attributes[a.key] = valueToText(a.value);
      return { trace_id: l.traceId, span_id: l.spanId, ...(l.attributes.length ? { attributes } : {}), ...(l.traceState ? { tracestate: l.traceState } : {}), flags: l.flags };
    });
    meta.push(['_dd.span_links', JSON.stringify(links)]);
  }
  // Everything Skein forwards was kept: tell the agent not to drop it.
  metrics.push([PRIORITY_KEY, 1]);
  return { s, meta, metrics, resource, type };
}

/** Groups spans into trace chunks (the payload is an array of traces). */
export function groupByTrace(spans: Span[]): Span[][] {
  const m = new Map<string, Span[]>();
  for (const s of spans) {
    const g = m.get(s.traceId);
    if (g) g.push(s);
    else m.set(s.traceId, [s]);
  }
  return [...m.values()];
}

const low = (hex: string) => (hex ? BigInt('0x' + hex.slice(-16)) : 0n);

/** A v0.4 payload (PUT /v0.4/traces, application/msgpack). */
export function encodeDatadogV04(spans: Span[]): { body: Uint8Array; traceCount: number } {
  const w = new MsgpackWriter();
  const traces = groupByTrace(spans);
  w.array(traces.length);
  for (const trace of traces) {
    w.array(trace.length);
    for (const s of trace) {
      const f = flatten(s);
      w.map(f.type ? 12 : 11);
      w.str('service'); w.str(serviceName(s.resource));
      w.str('name'); w.str(s.name);
      w.str('resource'); w.str(f.resource);
      w.str('trace_id'); w.uint64(low(s.traceId));
      w.str('span_id'); w.uint64(low(s.spanId));
      w.str('parent_id'); w.uint64(low(s.parentSpanId));
      w.str('start'); w.int64(s.startTimeUnixNano);
      w.str('duration'); w.int64(s.endTimeUnixNano - s.startTimeUnixNano);
      w.str('error'); w.int32(s.status.code === 2 ? 1 : 0);
      w.str('meta'); w.map(f.meta.length);
      for (const [k, v] of f.meta) { w.str(k); w.str(v); }
      w.str('metrics'); w.map(f.metrics.length);
      for (const [k, v] of f.metrics) { w.str(k); w.float64(v); }
      if (f.type) { w.str('type'); w.str(f.type); }
    }
  }
  return { body: w.finish(), traceCount: traces.length };
}

/** A v0.5 payload (string table + 12-element span arrays), for tests and agents that want it. */
export function encodeDatadogV05(spans: Span[]): { body: Uint8Array; traceCount: number } {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      index.set(s, (i = strings.length));
      strings.push(s);
    }
    return i;
  };
  const body = new MsgpackWriter();
  const traces = groupByTrace(spans);
  body.array(traces.length);
  for (const trace of traces) {
    body.array(trace.length);
    for (const s of trace) {
      const f = flatten(s);
      body.array(12);
      body.int32(id(serviceName(s.resource)));
      body.int32(id(s.name));
      body.int32(id(f.resource));
      body.uint64(low(s.traceId));
      body.uint64(low(s.spanId));
      body.uint64(low(s.parentSpanId));
      body.int64(s.startTimeUnixNano);
      body.int64(s.endTimeUnixNano - s.startTimeUnixNano);
      body.int32(s.status.code === 2 ? 1 : 0);
      body.map(f.meta.length);
      for (const [k, v] of f.meta) { body.int32(id(k)); body.int32(id(v)); }
      body.map(f.metrics.length);
      for (const [k, v] of f.metrics) { body.int32(id(k)); body.float64(v); }
      body.int32(id(f.type));
    }
  }
  const head = new MsgpackWriter();
  head.array(2);
  head.array(strings.length);
  for (const s of strings) head.str(s);
  const h = head.finish();
  const b = body.finish();
  const out = new Uint8Array(h.length + b.length);
  out.set(h);
  out.set(b, h.length);
  return { body: out, traceCount: traces.length };
}
