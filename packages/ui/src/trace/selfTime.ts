/** Self time (a span's duration not covered by its children) and the hot-spot table built on it. */
import type { Trace } from './model.js';

/** Self time of every span, ns: its duration minus the union of its children clipped to it. */
export function selfTimes(t: Trace): Float64Array {
  const self = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) {
    const s = t.start[i]!, e = s + t.dur[i]!;
    let covered = 0;
    let runStart = -Infinity, runEnd = -Infinity;
    // childList is sorted by start, so one sweep merges the intervals.
    for (let c = t.childStart[i]!; c < t.childStart[i + 1]!; c++) {
      const k = t.childList[c]!;
      const cs = Math.max(s, t.start[k]!), ce = Math.min(e, t.start[k]! + t.dur[k]!);
      if (ce <= cs) continue;
      if (cs > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = cs;
        runEnd = ce;
      } else if (ce > runEnd) runEnd = ce;
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    self[i] = Math.max(0, t.dur[i]! - covered);
  }
  return self;
}

export interface HotSpot {
  service: string;
  operation: string;
  count: number;
  total: number;
  self: number;
  /** Self time as a share of the trace duration. */
  share: number;
  errors: number;
  spans: number[];
}

/** One row per service+operation, sorted by self time, largest first. */
export function hotSpots(t: Trace, self = selfTimes(t)): HotSpot[] {
  const rows = new Map<number, HotSpot>();
  const nNames = t.names.length;
  for (let i = 0; i < t.n; i++) {
    const key = t.svcIdx[i]! * nNames + t.nameIdx[i]!;
    let r = rows.get(key);
    if (!r) {
      r = { service: t.services[t.svcIdx[i]!]!, operation: t.names[t.nameIdx[i]!]!, count: 0, total: 0, self: 0, share: 0, errors: 0, spans: [] };
      rows.set(key, r);
    }
    r.count++;
    r.total += t.dur[i]!;
    r.self += self[i]!;
    r.errors += t.error[i]!;
    r.spans.push(i);
  }
  const out = [...rows.values()];
  for (const r of out) r.share = t.duration > 0 ? r.self / t.duration : 0;
  return out.sort((a, b) => b.self - a.self || b.total - a.total);
}
