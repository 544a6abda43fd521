/** Parses Zipkin v2 JSON (a span list, or a list of traces as /api/v2/traces returns) into ParsedSpans. */
import type { KindName, ParsedSpan } from '../trace/model.js';
import { normId, toNs } from './ids.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export function isZipkin(doc: unknown): boolean {
  if (!Array.isArray(doc) || doc.length === 0) return false;
  const first = Array.isArray(doc[0]) ? obj(doc[0][0]) : obj(doc[0]);
  return 'traceId' in first && 'id' in first && !('resourceSpans' in first);
}

export function parseZipkinJson(doc: unknown, out: ParsedSpan[] = []): ParsedSpan[] {
  const spans = (doc as unknown[]).flatMap((x) => (Array.isArray(x) ? x : [x]));
  spans.forEach((raw, i) => {
    const sp = obj(raw);
    const where = `Zipkin span ${i}`;
    const tags = Object.entries(obj(sp.tags)).map(([key, v]) => ({ key, type: 'string' as const, value: String(v) }));
    const local = obj(sp.localEndpoint);
    const remote = obj(sp.remoteEndpoint);
    if (remote.serviceName) tags.push({ key: 'peer.service', type: 'string', value: String(remote.serviceName) });
    const startNs = toNs(sp.timestamp ?? 0, 1000n, `${where} timestamp`);
    const errorTag = obj(sp.tags).error;
    const traceId = normId(sp.traceId, 32);
    const spanId = normId(sp.id, 16);
    if (!traceId || !spanId) throw new Error(`${where}: traceId and id are required`);
    out.push({
      traceId,
      spanId,
      parentSpanId: normId(sp.parentId, 16),
      name: String(sp.name ?? ''),
      kind: (sp.kind ? String(sp.kind).toLowerCase() : 'unspecified') as KindName,
      service: String(local.serviceName ?? 'unknown'),
      startNs,
      endNs: startNs + toNs(sp.duration ?? 0, 1000n, `${where} duration`),
      attributes: tags,
      resource: [{ key: 'service.name', type: 'string', value: String(local.serviceName ?? '') }],
      scope: '',
      events: Array.isArray(sp.annotations)
        ? sp.annotations.map((a) => ({ timeNs: toNs(obj(a).timestamp, 1000n, `${where} annotation`), name: String(obj(a).value ?? ''), attributes: [] }))
        : [],
      links: [],
      status: errorTag !== undefined ? { code: 'ERROR', message: String(errorTag) } : { code: 'UNSET', message: '' },
    });
  });
  return out;
}
