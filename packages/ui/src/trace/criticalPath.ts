/**
 * The critical path: walking back from the end of the root, at each moment the span whose work
 * the trace was waiting on. A parent owns the gaps between the children that ended last.
 */
import type { Trace } from './model.js';

export interface Segment {
  span: number;
  /** ns relative to the trace base. */
  start: number;
  end: number;
}

/** The root the path starts from: the root span that ends last (earliest start on ties). */
export function mainRoot(t: Trace): number {
  let best = -1;
  for (let i = 0; i < t.n; i++) {
    if (t.parent[i] !== -1) continue;
    if (best < 0) best = i;
    else {
      const e = t.start[i]! + t.dur[i]!, be = t.start[best]! + t.dur[best]!;
      if (e > be || (e === be && t.start[i]! < t.start[best]!)) best = i;
    }
  }
  return best;
}

/** Segments of the critical path in time order; they tile [root start, root end] without overlap. */
export function criticalPath(t: Trace, root = mainRoot(t)): Segment[] {
  const walk = criticalPathSteps(t, root);
  for (;;) {
    const r = walk.next();
    if (r.done) return r.value.sort((a, b) => a.start - b.start || a.end - b.end);
  }
}

/**
 * The same walk, pausing (a bare `yield`) every `every` spans so that a worker can answer other
 * requests (a click's span detail) between slices of a million-span trace. Its segments are
 * not in time order.
 */
export function* criticalPathSteps(t: Trace, root = mainRoot(t), every = 4096): Generator<void, Segment[], void> {
  const out: Segment[] = [];
  if (root < 0) return out;
  let steps = 0;
  // Explicit stack so a very deep trace cannot overflow the JS stack.
  interface Frame { span: number; cursor: number; kids: number[]; k: number }
  const frame = (span: number, cursor: number): Frame => {
    const kids = Array.from(t.childList.subarray(t.childStart[span]!, t.childStart[span + 1]!));
    kids.sort((a, b) => t.start[b]! + t.dur[b]! - (t.start[a]! + t.dur[a]!));
    return { span, cursor, kids, k: 0 };
  };
  const stack: Frame[] = [frame(root, t.start[root]! + t.dur[root]!)];
  while (stack.length) {
    if (++steps % every === 0) yield;
    const f = stack[stack.length - 1]!;
    const s0 = t.start[f.span]!;
    let chosen = -1;
    while (f.k < f.kids.length) {
      const c = f.kids[f.k++]!;
      // A child that starts at or after the cursor ran while nothing waited on it.
      if (t.start[c]! < f.cursor && t.start[c]! + t.dur[c]! > s0) {
        chosen = c;
        break;
      }
    }
    if (chosen < 0) {
      if (f.cursor > s0) out.push({ span: f.span, start: s0, end: f.cursor });
      stack.pop();
      continue;
    }
    const cEnd = Math.min(t.start[chosen]! + t.dur[chosen]!, f.cursor);
    if (cEnd < f.cursor) out.push({ span: f.span, start: cEnd, end: f.cursor });
    f.cursor = Math.max(t.start[chosen]!, s0);
    stack.push(frame(chosen, cEnd));
  }
  return out;
}

/** Per-span flag: 1 when any part of the span is on the critical path. */
export function criticalSet(t: Trace, segs: Segment[]): Uint8Array {
  const on = new Uint8Array(t.n);
  for (const s of segs) on[s.span] = 1;
  return on;
}
