/** Parses Jaeger JSON (the /api/traces envelope, a bare trace, or an array of traces) into ParsedSpans. */
import type { Attr, KindName, ParsedSpan } from '../trace/model.js';
import { normId, toNs } from './ids.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const TYPES: Record<string, Attr['type']> = {
  string: 'string', bool: 'bool', int64: 'int', float64: 'double', binary: 'bytes',
};

export function jaegerTags(list: unknown): Attr[] {
  return arr(list).map((t) => {
    const o = obj(t);
    const type = TYPES[String(o.type ?? 'string').toLowerCase()] ?? 'string';
    const v = o.value;
    return { key: String(o.key ?? ''), type, value: typeof v === 'string' ? v : JSON.stringify(v) ?? 'null' };
  });
}

/** True when the document looks like Jaeger JSON. */
export function isJaeger(doc: unknown): boolean {
  const o = obj(doc);
  const first = Array.isArray(doc) ? obj(doc[0]) : Array.isArray(o.data) ? obj(o.data[0]) : o;
  return Array.isArray(first.spans) && ('processes' in first || 'traceID' in first);
}

export function parseJaegerJson(doc: unknown, out: ParsedSpan[] = []): ParsedSpan[] {
  const o = obj(doc);
  const traces = Array.isArray(doc) ? doc : Array.isArray(o.data) ? o.data : [doc];
  traces.forEach((tRaw, ti) => {
    const t = obj(tRaw);
    const processes = obj(t.processes);
    arr(t.spans).forEach((spRaw, si) => {
      const sp = obj(spRaw);
      const where = `trace ${ti} span ${si}`;
      const proc = obj(sp.process ?? processes[String(sp.processID)]);
      const tags = jaegerTags(sp.tags);
      const refs = arr(sp.references).map(obj);
      const parentRef = refs.find((r) => r.refType === 'CHILD_OF') ?? refs[0];
      const parentSpanId = parentRef ? normId(parentRef.spanID, 16) : normId(sp.parentSpanID, 16);
      const startNs = toNs(sp.startTime, 1000n, `${where} startTime`);
      const tag = (k: string) => tags.find((a) => a.key === k)?.value;
      const isError = tag('error') === 'true' || tag('otel.status_code') === 'ERROR';
      const traceId = normId(sp.traceID ?? t.traceID, 32);
      const spanId = normId(sp.spanID, 16);
      if (!traceId || !spanId) throw new Error(`${where}: traceID and spanID are required`);
      out.push({
        traceId,
        spanId,
        parentSpanId: parentSpanId === spanId ? '' : parentSpanId,
        name: String(sp.operationName ?? ''),
        kind: (['server', 'client', 'producer', 'consumer', 'internal'].includes(tag('span.kind') ?? '') ? tag('span.kind') : 'unspecified') as KindName,
        service: String(proc.serviceName ?? 'unknown-service'),
        startNs,
        endNs: startNs + toNs(sp.duration ?? 0, 1000n, `${where} duration`),
        attributes: tags,
        resource: [{ key: 'service.name', type: 'string', value: String(proc.serviceName ?? '') }, ...jaegerTags(proc.tags)],
        scope: tag('otel.library.name') ?? tag('otel.scope.name') ?? '',
        events: arr(sp.logs).map((l) => {
          const fields = jaegerTags(obj(l).fields);
          const ev = fields.find((f) => f.key === 'event');
          return {
            timeNs: toNs(obj(l).timestamp, 1000n, `${where} log timestamp`),
            name: ev?.value ?? 'log',
            attributes: fields.filter((f) => f !== ev),
          };
        }),
        links: refs.filter((r) => r !== parentRef).map((r) => ({ traceId: normId(r.traceID, 32), spanId: normId(r.spanID, 16), attributes: [] })),
        status: { code: isError ? 'ERROR' : tag('otel.status_code') === 'OK' ? 'OK' : 'UNSET', message: tag('otel.status_description') ?? '' },
      });
    });
  });
  return out;
}
