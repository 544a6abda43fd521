/** Find-in-trace: which spans match a text or `key=value` query (names, services, ids, attributes). */
import type { Attr, ParsedSpan } from '../trace/model.js';

export interface FindQuery {
  key?: string;
  value: string;
}

/** `key=value` (value may be quoted and contain `=`), or free text. */
export function parseFind(q: string): FindQuery | null {
  const s = q.trim();
  if (!s) return null;
  const eq = s.indexOf('=');
  if (eq > 0 && !/\s/.test(s.slice(0, eq).trim())) {
    return { key: s.slice(0, eq).trim(), value: unquote(s.slice(eq + 1).trim()).toLowerCase() };
  }
  return { value: unquote(s).toLowerCase() };
}

export function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    return v.slice(1, -1).replace(/\\(["'\\])/g, '$1');
  }
  return v;
}

const has = (attrs: Attr[], q: FindQuery) =>
  attrs.some((a) => (q.key === undefined ? a.key.toLowerCase().includes(q.value) || a.value.toLowerCase().includes(q.value) : a.key === q.key && a.value.toLowerCase().includes(q.value)));

export function spanMatches(s: ParsedSpan, q: FindQuery): boolean {
  if (q.key === undefined) {
    const v = q.value;
    if (s.name.toLowerCase().includes(v) || s.service.toLowerCase().includes(v) || s.spanId.includes(v)) return true;
    return has(s.attributes, q) || s.events.some((e) => e.name.toLowerCase().includes(v) || has(e.attributes, q));
  }
  if (q.key === 'service' || q.key === 'service.name') return s.service.toLowerCase().includes(q.value) || has(s.resource, q);
  if (q.key === 'name' || q.key === 'operation') return s.name.toLowerCase().includes(q.value);
  if (q.key === 'status' || q.key === 'error') return q.value === 'error' || q.value === 'true' ? s.status.code === 'ERROR' : s.status.code.toLowerCase() === q.value;
  return has(s.attributes, q) || has(s.resource, q);
}

export function findSpans(spans: ParsedSpan[], query: string): Int32Array {
  const q = parseFind(query);
  if (!q) return new Int32Array(0);
  const out: number[] = [];
  for (let i = 0; i < spans.length; i++) if (spanMatches(spans[i]!, q)) out.push(i);
  return Int32Array.from(out);
}
