/** A trace as a tree in display order, with depths and its critical path. */
import type { Span } from '@skein/model';

export interface Row {
  span: Span;
  depth: number;
  /** For drawing: whether each ancestor level (and this one) is the last child there. */
  lastAt: boolean[];
  critical: boolean;
}

/** Orders spans depth-first (children by start time); spans whose parent is absent are roots. */
export function buildRows(spans: Span[]): Row[] {
  const byId = new Map<string, Span>();
  for (const s of spans) byId.set(s.spanId, s);
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (s.parentSpanId && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId);
      if (list) list.push(s);
      else children.set(s.parentSpanId, [s]);
    } else roots.push(s);
  }
  const byStart = (a: Span, b: Span): number => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);

  const critical = new Set<string>();
  for (const r of roots) markCritical(r, children, critical);

  const rows: Row[] = [];
  const seen = new Set<string>();
  // iterative walk: deep traces must not overflow the stack
  const stack: Array<{ span: Span; depth: number; lastAt: boolean[] }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ span: roots[i]!, depth: 0, lastAt: [i === roots.length - 1] });
  while (stack.length > 0) {
    const { span, depth, lastAt } = stack.pop()!;
    if (seen.has(span.spanId)) continue;
    seen.add(span.spanId);
    rows.push({ span, depth, lastAt, critical: critical.has(span.spanId) });
    const kids = children.get(span.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1, lastAt: [...lastAt, i === kids.length - 1] });
  }
  return rows;
}

/**
 * The critical path: from a span's end, walk back through the child that finished last, then
 * the child that finished last before that one started, and so on (as Jaeger draws it).
 */
function markCritical(root: Span, children: Map<string, Span[]>, out: Set<string>): void {
  const work: Span[] = [root];
  while (work.length > 0) {
    const span = work.pop()!;
    out.add(span.spanId);
    const kids = [...(children.get(span.spanId) ?? [])].sort((a, b) => (a.endTimeUnixNano > b.endTimeUnixNano ? -1 : a.endTimeUnixNano < b.endTimeUnixNano ? 1 : 0));
    let cursor = span.endTimeUnixNano;
    let first = true;
    for (const k of kids) {
      if (k.startTimeUnixNano >= cursor && !first) continue;
      if (first || k.endTimeUnixNano <= cursor) {
        work.push(k);
        cursor = k.startTimeUnixNano < cursor ? k.startTimeUnixNano : cursor;
        first = false;
      }
    }
  }
}
