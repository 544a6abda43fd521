/** Layered layout for the service dependency graph: ranks by longest path, order by barycentre. */

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

export interface Layout {
  nodes: LaidNode[];
  width: number;
  height: number;
}

/** Names in natural order: spoke-2 before spoke-10. */
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

export function layoutGraph(edges: GraphEdge[], opts = { colGap: 220, rowGap: 90, margin: 80 }): Layout {
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
  for (const id of ids) if (!state.get(id)) visit(id);
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
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [p, l] of forward) for (const c of l) preds.get(c)!.push(p);
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
  const nodes: LaidNode[] = [];
  layers.forEach((l, li) => {
    const offset = (height - (l.length - 1) * opts.rowGap) / 2;
    l.forEach((id, i) => nodes.push({ id, layer: li, x: opts.margin + li * opts.colGap, y: offset + i * opts.rowGap }));
  });
  return { nodes, width: opts.margin * 2 + Math.max(0, layers.length - 1) * opts.colGap, height };
}
