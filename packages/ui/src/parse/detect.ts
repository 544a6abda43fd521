/** Reads a file's text in any supported format (OTLP JSON/JSONL, Jaeger JSON, Zipkin JSON) into spans per trace. */
import type { ParsedSpan } from '../trace/model.js';
import { isJaeger, parseJaegerJson } from './jaegerJson.js';
import { parseOtlpJson } from './otlpJson.js';
import { isZipkin, parseZipkinJson } from './zipkinJson.js';

export type Format = 'otlp-json' | 'otlp-jsonl' | 'jaeger-json' | 'zipkin-json';

export interface ParsedFile {
  format: Format;
  spans: ParsedSpan[];
}

/** Parses one document (already JSON-decoded). */
export function parseDocument(doc: unknown, out: ParsedSpan[] = []): Format {
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && ('resourceSpans' in doc || 'result' in doc)) {
    parseOtlpJson(doc, out);
    return 'otlp-json';
  }
  if (Array.isArray(doc) && doc.length > 0 && doc[0] && typeof doc[0] === 'object' && 'resourceSpans' in doc[0]) {
    for (const d of doc) parseOtlpJson(d, out);
    return 'otlp-json';
  }
  if (isZipkin(doc)) {
    parseZipkinJson(doc, out);
    return 'zipkin-json';
  }
  if (isJaeger(doc)) {
    parseJaegerJson(doc, out);
    return 'jaeger-json';
  }
  throw new Error('not a trace format Skein reads: expected OTLP JSON (resourceSpans), Jaeger JSON (data[].spans) or Zipkin v2 JSON (a span array)');
}

export function parseText(text: string): ParsedFile {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('the file is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (err) {
    // Not one JSON document: try JSON Lines, one OTLP request per line.
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
    if (lines.length < 2) throw new Error(`not valid JSON: ${(err as Error).message}`);
    const spans: ParsedSpan[] = [];
    lines.forEach((line, i) => {
      let d: unknown;
      try {
        d = JSON.parse(line);
      } catch (e) {
        throw new Error(`line ${i + 1} is not valid JSON: ${(e as Error).message}`);
      }
      try {
        parseDocument(d, spans);
      } catch (e) {
        throw new Error(`line ${i + 1}: ${(e as Error).message}`);
      }
    });
    return { format: 'otlp-jsonl', spans };
  }
  const spans: ParsedSpan[] = [];
  const format = parseDocument(doc, spans);
  return { format, spans };
}

/** Groups spans by trace id, keeping first-seen order. */
export function groupByTrace(spans: ParsedSpan[]): Map<string, ParsedSpan[]> {
  const m = new Map<string, ParsedSpan[]>();
  for (const s of spans) {
    let l = m.get(s.traceId);
    if (!l) m.set(s.traceId, (l = []));
    l.push(s);
  }
  return m;
}
