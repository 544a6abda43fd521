/**
 * Layered layout for the service dependency graph: ranks by longest path, order by barycentre.
 * An edge that skips layers is routed through a placeholder in each layer it crosses, ordered
 * with the services, so it runs between them instead of straight through them.
 */

export interface GraphEdge {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
}

export interface LaidNode {
  id: string;
  x: number;
  y: number;
  layer: number;
}

/** An edge and where it runs: the slots it passes in the layers between its ends. */
export interface LaidEdge extends GraphEdge {
  /** Against the ranking (a cycle's closing edge, or a service calling itself). */
  back: boolean;
  via: Array<{ x: number; y: number }>;
}

export interface Layout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

/** Names in natural order: spoke-2 before spoke-10. */
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
const edgeKey = (parent: string, child: string): string => `${parent}\0${child}`;

export function layoutGraph(edges: GraphEdge[], opts = { colGap: 270, rowGap: 90, margin: 80 }): Layout {
  const ids = [...new Set(edges.flatMap((e) => [e.parent, e.child]))].sort(byName);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (e.parent !== e.child) out.get(e.parent)!.push(e.child);
  // Drop back edges (found by DFS) so cycles do not make ranks infinite.
  const state = new Map<string, number>();
  const forward = new Map<string, string[]>(ids.map((id) => [id, []]));
  const visit = (id: string) => {
    state.set(id, 1);
    for (const c of out.get(id)!) {
      if (state.get(c) === 1) continue;
      forward.get(id)!.push(c);
      if (!state.get(c)) visit(c);
    }
    state.set(id, 2);
  };
  // Start from the services that call more than they are called, so a cycle breaks at the
  // call back towards the callers (the database calling the web tier, not the other way round).
  const balance = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (e.parent === e.child) continue;
    balance.set(e.parent, balance.get(e.parent)! - 1);
    balance.set(e.child, balance.get(e.child)! + 1);
  }
  for (const id of [...ids].sort((a, b) => balance.get(a)! - balance.get(b)! || byName(a, b))) if (!state.get(id)) visit(id);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  // Longest path from the sources: relax in topological order.
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const l of forward.values()) for (const c of l) indeg.set(c, indeg.get(c)! + 1);
  const queue = ids.filter((id) => indeg.get(id) === 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const c of forward.get(id)!) {
      layer.set(c, Math.max(layer.get(c)!, layer.get(id)! + 1));
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) queue.push(c);
    }
  }
  // Slots: the services, and a placeholder per layer a forward edge crosses (ids start with \0).
  const layers: string[][] = [];
  const preds = new Map<string, string[]>();
  const place = (id: string, at: number) => {
    (layers[at] ??= []).push(id);
    preds.set(id, []);
  };
  for (const id of ids) place(id, layer.get(id)!);
  const chains = new Map<string, string[]>();
  for (const [p, l] of forward) {
    for (const c of l) {
      const chain: string[] = [];
      let prev = p;
      for (let at = layer.get(p)! + 1; at < layer.get(c)!; at++) {
        const dummy = `\0${p}\0${c}\0${at}`;
        place(dummy, at);
        preds.get(dummy)!.push(prev);
        chain.push(dummy);
        prev = dummy;
      }
      preds.get(c)!.push(prev);
      chains.set(edgeKey(p, c), chain);
    }
  }
  const index = new Map<string, number>();
  layers.forEach((l) => l.forEach((id, i) => index.set(id, i)));
  // A few sweeps of barycentre ordering reduce edge crossings.
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let li = 1; li < layers.length; li++) {
      const bary = (id: string) => {
        const ps = preds.get(id)!;
        return ps.length ? ps.reduce((s, p) => s + index.get(p)!, 0) / ps.length : index.get(id)!;
      };
      layers[li]!.sort((a, b) => bary(a) - bary(b) || byName(a, b));
      layers[li]!.forEach((id, i) => index.set(id, i));
    }
  }
  const tallest = Math.max(1, ...layers.map((l) => l.length));
  const height = opts.margin * 2 + (tallest - 1) * opts.rowGap;
  const at = new Map<string, LaidNode>();
  layers.forEach((l, li) => {
    const offset = (height - (l.length - 1) * opts.rowGap) / 2;
    l.forEach((id, i) => at.set(id, { id, layer: li, x: opts.margin + li * opts.colGap, y: offset + i * opts.rowGap }));
  });
  const laidEdges = edges.map((e): LaidEdge => {
    const chain = chains.get(edgeKey(e.parent, e.child));
    return { ...e, back: chain === undefined, via: (chain ?? []).map((id) => ({ x: at.get(id)!.x, y: at.get(id)!.y })) };
  });
  return {
    nodes: ids.map((id) => at.get(id)!),
    edges: laidEdges,
    width: opts.margin * 2 + Math.max(0, layers.length - 1) * opts.colGap,
    height,
  };
}
