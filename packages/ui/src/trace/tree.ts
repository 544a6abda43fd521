/** Builds the columnar Trace (tree, depth-first order, subtree sizes) from parsed spans. */
import type { ParsedSpan, Trace } from './model.js';
import { KIND_NAMES } from './model.js';
import { orderByKey } from './sortIndex.js';

/** Minimal span shape the tree needs; ParsedSpan satisfies it. */
export type TreeInput = Pick<ParsedSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'service' | 'kind' | 'startNs' | 'endNs' | 'status'> & {
  events?: { timeNs: bigint }[];
  /** When present, used instead of events (spans that parse events lazily offer it). */
  eventTimes?: bigint[];
};

const eventTimesOf = (s: TreeInput): bigint[] => s.eventTimes ?? s.events?.map((e) => e.timeNs) ?? [];

export function buildTrace(spans: readonly TreeInput[]): Trace {
  const n = spans.length;
  if (n === 0) throw new Error('a trace needs at least one span');
  let base = spans[0]!.startNs;
  let end = spans[0]!.endNs;
  for (const s of spans) {
    if (s.startNs < base) base = s.startNs;
    if (s.endNs > end) end = s.endNs;
  }
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!index.has(spans[i]!.spanId)) index.set(spans[i]!.spanId, i);

  const parent = new Int32Array(n).fill(-1);
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  const nameIdx = new Int32Array(n);
  const svcIdx = new Int32Array(n);
  const kind = new Uint8Array(n);
  const error = new Uint8Array(n);
  const names: string[] = [];
  const services: string[] = [];
  const nameMap = new Map<string, number>();
  const svcMap = new Map<string, number>();
  let orphans = 0;
  let events = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    start[i] = Number(s.startNs - base);
    dur[i] = Math.max(0, Number(s.endNs - s.startNs));
    let ni = nameMap.get(s.name);
    if (ni === undefined) nameMap.set(s.name, (ni = names.push(s.name) - 1));
    nameIdx[i] = ni;
    let si = svcMap.get(s.service);
    if (si === undefined) svcMap.set(s.service, (si = services.push(s.service) - 1));
    svcIdx[i] = si;
    kind[i] = Math.max(0, KIND_NAMES.indexOf(s.kind));
    error[i] = s.status.code === 'ERROR' ? 1 : 0;
    const ets = eventTimesOf(s);
    events += ets.length;
    if (s.parentSpanId) {
      const p = index.get(s.parentSpanId);
      if (p === undefined) orphans++;
      else if (p !== i) parent[i] = p;
    }
  }
  const eventStart = new Int32Array(n + 1);
  const eventTime = new Float64Array(events);
  let e = 0;
  for (let i = 0; i < n; i++) {
    eventStart[i] = e;
    for (const et of eventTimesOf(spans[i]!)) eventTime[e++] = Number(et - base);
  }
  eventStart[n] = e;
  return assembleTrace({
    traceId: spans[0]!.traceId,
    baseNs: base.toString(),
    duration: Number(end - base),
    n,
    spanIds: spans.map((s) => s.spanId).join(''),
    parent, start, dur, nameIdx, names, svcIdx, services, kind, error, eventStart, eventTime, orphans,
  });
}

/** What a trace source provides; the tree (order, depth, sizes, child lists) is derived from it. */
export type TraceColumns = Omit<Trace, 'depth' | 'order' | 'pos' | 'size' | 'childStart' | 'childList' | 'maxDepth'>;

/** Adds the tree to trace columns (parents already resolved to indices; loops are cut here). */
export function assembleTrace(cols: TraceColumns): Trace {
  const { n, parent, start } = cols;

  // One sort of every span by start time; filling the child lists in that order leaves each
  // list sorted, with no per-parent sorts (thousands of small sorts were the slow part).
  const byStart = orderByKey(start);
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]!);
  const roots: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = byStart[k]!;
    if (parent[i]! >= 0) childList[fill[parent[i]!]!++] = i;
    else roots.push(i);
  }
  const order = new Int32Array(n);
  const pos = new Int32Array(n);
  const depth = new Int32Array(n);
  const size = new Int32Array(n);
  let k = 0;
  let maxDepth = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]!);
  while (stack.length) {
    const i = stack.pop()!;
    order[k] = i;
    pos[i] = k++;
    const d = parent[i]! >= 0 ? depth[parent[i]!]! + 1 : 0;
    depth[i] = d;
    if (d > maxDepth) maxDepth = d;
    for (let c = childStart[i + 1]! - 1; c >= childStart[i]!; c--) stack.push(childList[c]!);
  }
  // A span on a parent loop (bad data) is never reached from a root: cut the loops and redo.
  if (k < n) {
    breakCycles(parent);
    return assembleTrace(cols);
  }
  // Subtree sizes: walk the order backwards, adding each size into its parent.
  for (let q = n - 1; q >= 0; q--) {
    const i = order[q]!;
    if (parent[i]! >= 0) size[parent[i]!]! += size[i]! + 1;
  }

  return { ...cols, depth, order, pos, size, childStart, childList, maxDepth };
}

/** A parent chain that loops (bad data) would hang every walk: cut each loop at one span. */
function breakCycles(parent: Int32Array): void {
  const state = new Uint8Array(parent.length); // 0 new, 1 on current path, 2 done
  const path: number[] = [];
  for (let i = 0; i < parent.length; i++) {
    let j = i;
    while (j >= 0 && state[j] === 0) {
      state[j] = 1;
      path.push(j);
      j = parent[j]!;
    }
    if (j >= 0 && state[j] === 1) parent[j] = -1;
    for (const p of path) state[p] = 2;
    path.length = 0;
  }
}

/** The rows to show given collapsed spans: order positions, skipping collapsed subtrees. */
export function visibleRows(t: Trace, collapsed: Uint8Array): Int32Array {
  const out = new Int32Array(t.n);
  let k = 0;
  for (let q = 0; q < t.n; ) {
    const i = t.order[q]!;
    out[k++] = i;
    q += collapsed[i] ? t.size[i]! + 1 : 1;
  }
  return out.subarray(0, k);
}

/** Collapsed flags for a trace opened fresh: big traces show only the top levels. */
export function defaultCollapsed(t: Trace, bigAt = 200_000): Uint8Array {
  const c = new Uint8Array(t.n);
  if (t.n < bigAt) return c;
  for (let i = 0; i < t.n; i++) if (t.depth[i]! >= 1 && t.size[i]! > 0) c[i] = 1;
  return c;
}

/** Expands every ancestor of span i so it becomes visible. */
export function reveal(t: Trace, collapsed: Uint8Array, i: number): void {
  for (let p = t.parent[i]!; p >= 0; p = t.parent[p]!) collapsed[p] = 0;
}
