/**
 * The trace file formats `skein import` reads, detected from the name and the first bytes:
 * OTLP JSON, OTLP JSON lines, OTLP protobuf, Jaeger JSON (API / UI download) and Zipkin JSON.
 */
import { decodeOtlpJson, decodeOtlpProto, decodeZipkinJson, type Span } from '@skein/model';
import { jaegerTraceToSpans, type JTrace } from '../io/jaeger-json.js';

export const FORMATS = ['otlp-json', 'otlp-jsonl', 'otlp-proto', 'jaeger', 'zipkin'] as const;
export type Format = (typeof FORMATS)[number];

/** The names the UI's file pills use for the JSON formats are taken too. */
export const formatOf = (name: string): string => ({ 'jaeger-json': 'jaeger', 'zipkin-json': 'zipkin' })[name] ?? name;

/** Picks a format from the file name, then from the first bytes. Undefined when unsure. */
export function detectFormat(path: string, head: Uint8Array): Format | undefined {
  const lower = path.toLowerCase();
  if (/\.(jsonl|ndjson)$/.test(lower)) return 'otlp-jsonl';
  if (/\.(pb|bin|binpb|protobuf|otlp)$/.test(lower)) return 'otlp-proto';
  const text = new TextDecoder().decode(head.subarray(0, 4096)).trimStart();
  if (text.startsWith('[')) return /"traceId"\s*:/.test(text) ? 'zipkin' : /"traceID"\s*:/.test(text) ? 'jaeger' : undefined;
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    if (/"resourceSpans"/.test(text)) {
      // one request per line, or one document?
      return firstLine.trimEnd().endsWith('}') && text.includes('\n{') ? 'otlp-jsonl' : 'otlp-json';
    }
    if (/"traceID"|"data"\s*:/.test(text)) return 'jaeger';
    return undefined;
  }
  if (head.length > 0 && head[0] === 0x0a) return 'otlp-proto'; // field 1, length-delimited
  return undefined;
}

export interface Decoded {
  spans: Span[];
  /** Spans or records left out, with the reason. */
  skipped: number;
  reason: string;
}

/** Decodes a whole document (every format except JSON lines). Throws on unreadable input. */
export function decodeDocument(format: Exclude<Format, 'otlp-jsonl'>, data: Uint8Array): Decoded {
  switch (format) {
    case 'otlp-proto': {
      const d = decodeOtlpProto(data);
      return { spans: d.spans, skipped: d.rejected, reason: d.message };
    }
    case 'otlp-json': {
      const d = decodeOtlpJson(data);
      return { spans: d.spans, skipped: d.rejected, reason: d.message };
    }
    case 'zipkin':
      return { spans: decodeZipkinJson(data), skipped: 0, reason: '' };
    case 'jaeger': {
      const doc = JSON.parse(new TextDecoder().decode(data)) as { data?: JTrace[] } | JTrace | JTrace[];
      const traces = Array.isArray(doc) ? doc : 'spans' in doc ? [doc] : (doc.data ?? []);
      if (traces.length === 0 && !Array.isArray(doc) && !('data' in doc)) {
        throw new Error('not Jaeger JSON: expected {"data": [traces]}, a trace {"traceID", "spans", "processes"} or an array of traces');
      }
      const out: Decoded = { spans: [], skipped: 0, reason: '' };
      for (const t of traces) {
        const r = jaegerTraceToSpans(t);
        out.spans.push(...r.spans);
        out.skipped += r.skipped;
        if (r.skipped && !out.reason) out.reason = 'spans without a usable traceID, spanID or startTime';
      }
      return out;
    }
  }
}
