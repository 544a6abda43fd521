/** Compares two traces: spans matched by their service+operation path, merged into one tree. */
import type { Trace } from './model.js';

export interface CompareRow {
  path: string;
  service: string;
  operation: string;
  depth: number;
  countA: number;
  countB: number;
  durA: number;
  durB: number;
  /** 'added' only in B, 'removed' only in A, 'changed' count differs, 'same' otherwise. */
  change: 'added' | 'removed' | 'changed' | 'same';
}

const SEP = '\u0000';

function pathsOf(t: Trace): Map<string, { count: number; dur: number; service: string; op: string; depth: number; first: number }> {
  const paths = new Array<string>(t.n);
  const m = new Map<string, { count: number; dur: number; service: string; op: string; depth: number; first: number }>();
  for (let q = 0; q < t.n; q++) {
    const i = t.order[q]!;
    const p = t.parent[i]!;
    const service = t.services[t.svcIdx[i]!]!, op = t.names[t.nameIdx[i]!]!;
    const key = (p >= 0 ? paths[p] + SEP : '') + service + '\u0001' + op;
    paths[i] = key;
    let e = m.get(key);
    if (!e) m.set(key, (e = { count: 0, dur: 0, service, op, depth: t.depth[i]!, first: t.start[i]! }));
    e.count++;
    e.dur += t.dur[i]!;
  }
  return m;
}

/** The merged tree in depth-first order (siblings by first start), each row with both sides' figures. */
export function compareTraces(a: Trace, b: Trace): CompareRow[] {
  const pa = pathsOf(a), pb = pathsOf(b);
  const keys = new Set([...pa.keys(), ...pb.keys()]);
  const kids = new Map<string, string[]>();
  for (const k of keys) {
    const cut = k.lastIndexOf(SEP);
    const parent = cut < 0 ? '' : k.slice(0, cut);
    let l = kids.get(parent);
    if (!l) kids.set(parent, (l = []));
    l.push(k);
  }
  const out: CompareRow[] = [];
  const walk = (parent: string) => {
    const first = (k: string) => Math.min(pa.get(k)?.first ?? Infinity, pb.get(k)?.first ?? Infinity);
    const list = (kids.get(parent) ?? []).sort((x, y) => first(x) - first(y) || (x < y ? -1 : 1));
    for (const k of list) {
      const x = pa.get(k), y = pb.get(k);
      const e = (x ?? y)!;
      const countA = x?.count ?? 0, countB = y?.count ?? 0;
      out.push({
        path: k, service: e.service, operation: e.op, depth: e.depth,
        countA, countB, durA: x?.dur ?? 0, durB: y?.dur ?? 0,
        change: !x ? 'added' : !y ? 'removed' : countA !== countB ? 'changed' : 'same',
      });
      walk(k);
    }
  };
  walk('');
  return out;
}
