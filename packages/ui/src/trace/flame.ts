/**
 * Flame-graph rows: a span sits below its parent, and siblings whose subtrees overlap in time
 * (concurrent work) get separate rows instead of being drawn over each other.
 */
import type { Trace } from './model.js';

export interface FlameLayout {
  /** Row of each span (0 is the top). */
  row: Int32Array;
  rows: number;
}

export function flameLayout(t: Trace): FlameLayout {
  const n = t.n;
  const height = new Int32Array(n);
  const off = new Int32Array(n);
  const extStart = new Float64Array(n);
  const extEnd = new Float64Array(n);
  // Bottom-up (reverse depth-first order): children are laid out before their parent.
  for (let q = n - 1; q >= 0; q--) {
    const i = t.order[q]!;
    let s = t.start[i]!, e = s + t.dur[i]!, h = 0;
    // Siblings still running when the next one starts, with the rows they occupy.
    const active: number[] = [];
    for (let c = t.childStart[i]!; c < t.childStart[i + 1]!; c++) {
      const k = t.childList[c]!;
      for (let a = active.length - 1; a >= 0; a--) if (extEnd[active[a]!]! <= extStart[k]!) active.splice(a, 1);
      let o = 0;
      for (let moved = true; moved; ) {
        moved = false;
        for (const a of active) {
          if (o < off[a]! + height[a]! && off[a]! < o + height[k]!) {
            o = off[a]! + height[a]!;
            moved = true;
          }
        }
      }
      off[k] = o;
      active.push(k);
      h = Math.max(h, o + height[k]!);
      if (extStart[k]! < s) s = extStart[k]!;
      if (extEnd[k]! > e) e = extEnd[k]!;
    }
    height[i] = h + 1;
    extStart[i] = s;
    extEnd[i] = e;
  }
  const row = new Int32Array(n);
  let rows = 0;
  let top = 0;
  for (let q = 0; q < n; q++) {
    const i = t.order[q]!;
    const p = t.parent[i]!;
    if (p >= 0) row[i] = row[p]! + 1 + off[i]!;
    else {
      // Roots stack one under another.
      row[i] = top;
      top += height[i]!;
    }
    if (row[i]! + 1 > rows) rows = row[i]! + 1;
  }
  return { row, rows };
}
