/** Encodes ParsedSpans as OTLP/JSON, for import into the store and for downloads of opened files. */
import type { Attr, ParsedSpan } from '../trace/model.js';
import { KIND_NAMES } from '../trace/model.js';

function hexToBase64(hex: string): string {
  let bin = '';
  for (let i = 0; i + 1 < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

function value(a: Attr): Record<string, unknown> {
  switch (a.type) {
    case 'bool': return { boolValue: a.value === 'true' };
    case 'int': return /^-?\d+$/.test(a.value) ? { intValue: a.value } : { stringValue: a.value };
    case 'double': return { doubleValue: Number(a.value) };
    case 'bytes': return /^([0-9a-f]{2})*$/i.test(a.value) ? { bytesValue: hexToBase64(a.value) } : { stringValue: a.value };
    case 'null': return {};
    default: return { stringValue: a.value };
  }
}

const attrs = (list: Attr[]) => list.map((a) => ({ key: a.key, value: value(a) }));

export function toOtlpJson(spans: ParsedSpan[]): { resourceSpans: unknown[] } {
  const byResource = new Map<string, { resource: Attr[]; spans: ParsedSpan[] }>();
  for (const s of spans) {
    const key = JSON.stringify(s.resource);
    let g = byResource.get(key);
    if (!g) byResource.set(key, (g = { resource: s.resource, spans: [] }));
    g.spans.push(s);
  }
  return {
    resourceSpans: [...byResource.values()].map((g) => ({
      resource: { attributes: attrs(g.resource) },
      scopeSpans: [{
        scope: { name: g.spans[0]?.scope ?? '' },
        spans: g.spans.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: Math.max(0, KIND_NAMES.indexOf(s.kind)),
          startTimeUnixNano: s.startNs.toString(),
          endTimeUnixNano: s.endNs.toString(),
          attributes: attrs(s.attributes),
          events: s.events.map((e) => ({ timeUnixNano: e.timeNs.toString(), name: e.name, attributes: attrs(e.attributes) })),
          links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: attrs(l.attributes) })),
          status: { code: s.status.code === 'ERROR' ? 2 : s.status.code === 'OK' ? 1 : 0, message: s.status.message },
        })),
      }],
    })),
  };
}
