/** The service dependency graph for a time range, laid out automatically (layered, left to right). */
import { useEffect, useMemo, useState } from 'react';
import { getDependencies } from '../api/client.js';
import { LOOKBACKS } from '../api/searchQuery.js';
import type { GraphEdge, Layout } from '../trace/layout.js';
import { layoutGraph } from '../trace/layout.js';
import { navigate } from '../router.js';
import { colorOf } from '../theme.js';
import { fmtCountOf } from '../trace/format.js';
import { Empty, ErrorState, Loading } from '../components/States.js';

type S = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'done'; edges: GraphEdge[] };

const NODE_W = 150, NODE_H = 40;
const MAX_LABELLED_EDGES = 12;

export function DependenciesPage(props: { query: URLSearchParams }) {
  const lookback = props.query.get('lookback') ?? '24h';
  const [state, setState] = useState<S>({ kind: 'loading' });
  const [hover, setHover] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    setState({ kind: 'loading' });
    const ms = LOOKBACKS.find((l) => l[0] === lookback)?.[2] ?? 86400e3;
    getDependencies(Date.now(), ms, ac.signal).then(
      (edges) => setState({ kind: 'done', edges }),
      (e: Error) => e.name !== 'AbortError' && setState({ kind: 'error', message: e.message }),
    );
    return () => ac.abort();
  }, [lookback]);
  const layout = useMemo(() => (state.kind === 'done' ? layoutGraph(state.edges) : null), [state]);
  // Labels of a dense graph pile up on each other: then only a hovered service's edges carry
  // theirs (every edge has a tooltip, and the table below lists them all).
  const labelled = state.kind === 'done' && state.edges.length <= MAX_LABELLED_EDGES;
  const drawn = useMemo(() => (layout ? drawEdges(layout) : []), [layout]).map((d) => ({
    ...d,
    dim: hover !== null && hover !== d.e.parent && hover !== d.e.child,
  }));

  return (
    <div className="deps-page">
      <div className="toolbar">
        <h2>Service dependencies</h2>
        <div className="spacer" />
        <label className="inline">
          Time range
          <select value={lookback} onChange={(e) => navigate(`/dependencies?lookback=${e.target.value}`)}>
            {LOOKBACKS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
      </div>
      {state.kind === 'loading' && <Loading what="Loading dependencies…" />}
      {state.kind === 'error' && <ErrorState title="Could not load dependencies" message={state.message} />}
      {state.kind === 'done' && state.edges.length === 0 && (
        <Empty title="No service calls in this range"><p>Calls appear when a span of one service has a child span in another.</p></Empty>
      )}
      {state.kind === 'done' && layout && state.edges.length > 0 && (
        <>
          <div className="panel graph">
            <svg viewBox={`0 0 ${layout.width + NODE_W} ${layout.height}`} width={layout.width + NODE_W} height={layout.height} style={{ maxWidth: '100%', height: 'auto', display: 'block', margin: '0 auto' }} role="img" aria-label="Service dependency graph">
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" className="arrowhead" />
                </marker>
              </defs>
              {drawn.map((d) => (
                <g key={d.id} className={`edge${d.e.errorCount ? ' err' : ''}${d.dim ? ' dim' : ''}`} data-edge={d.id}>
                  <title>{`${d.e.parent} → ${d.e.child}: ${d.label}`}</title>
                  <path d={d.path} markerEnd="url(#arrow)" strokeWidth={1.5 + Math.min(4, Math.log10(d.e.callCount + 1))} />
                </g>
              ))}
              {layout.nodes.map((n) => (
                <g key={n.id} className="node" transform={`translate(${n.x},${n.y - NODE_H / 2})`} onMouseEnter={() => setHover(n.id)} onMouseLeave={() => setHover(null)} onClick={() => navigate(`/search?service=${encodeURIComponent(n.id)}`)} data-service={n.id}>
                  <rect width={NODE_W} height={NODE_H} rx={8} style={{ stroke: colorOf(n.id) }} />
                  <rect width={6} height={NODE_H} rx={3} style={{ fill: colorOf(n.id) }} />
                  <text x={NODE_W / 2 + 3} y={NODE_H / 2 + 4} textAnchor="middle">{n.id.length > 20 ? `${n.id.slice(0, 19)}…` : n.id}</text>
                  <title>{n.id}</title>
                </g>
              ))}
              {/* above the nodes, so a long edge's label is not hidden behind one it passes */}
              {drawn.filter((d) => (hover ? !d.dim : labelled)).map((d) => (
                <text key={d.id} x={d.labelAt[0]} y={d.labelAt[1]} textAnchor="middle" className="edge-label" data-edge={d.id}>
                  {d.label}
                </text>
              ))}
            </svg>
          </div>
          <div className="panel">
            <table className="results-table">
              <thead><tr><th>Caller</th><th>Callee</th><th className="num">Calls</th><th className="num">Errors</th></tr></thead>
              <tbody>
                {state.edges.slice().sort((x, y) => y.callCount - x.callCount).map((e) => (
                  <tr key={`${e.parent}->${e.child}`}>
                    <td><span className="svc-chip" style={{ background: colorOf(e.parent) }} />{e.parent}</td>
                    <td><span className="svc-chip" style={{ background: colorOf(e.child) }} />{e.child}</td>
                    <td className="num">{e.callCount}</td>
                    <td className="num">{e.errorCount ? <span className="err-badge">{e.errorCount}</span> : <span className="muted">0</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * Each edge's path, label and label spot: forwards a curve from caller to callee through the
 * slots the layout kept for it in the layers between; backwards a loop under the nodes.
 */
function drawEdges(layout: Layout) {
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  return layout.edges.map((e) => {
    const a = at.get(e.parent)!, b = at.get(e.child)!;
    let path: string;
    let labelAt: [number, number];
    if (e.parent === e.child) {
      path = `M${a.x + NODE_W * 0.7},${a.y - NODE_H / 2} c 30,-50 -60,-50 -40,0`;
      labelAt = [a.x + NODE_W * 0.6, a.y - NODE_H / 2 - 40];
    } else if (e.back) {
      path = `M${a.x + NODE_W / 2},${a.y + NODE_H / 2} C${a.x + NODE_W / 2},${a.y + 90} ${b.x + NODE_W / 2},${b.y + 90} ${b.x + NODE_W / 2},${b.y + NODE_H / 2 + 2}`;
      labelAt = [(a.x + b.x) / 2 + NODE_W / 2, Math.max(a.y, b.y) + 72];
    } else {
      // horizontal tangents at every stop: out of a slot's right side, into the next one's left
      const stops = [{ x: a.x, y: a.y }, ...e.via, { x: b.x, y: b.y }];
      path = `M${a.x + NODE_W},${a.y}`;
      for (let k = 1; k < stops.length; k++) {
        const x1 = stops[k - 1]!.x + NODE_W, y1 = stops[k - 1]!.y;
        const x2 = stops[k]!.x - (k === stops.length - 1 ? 2 : 0), y2 = stops[k]!.y;
        path += ` C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
        if (k < stops.length - 1) path += ` L${x2 + NODE_W},${y2}`;
      }
      const mid = e.via[Math.floor(e.via.length / 2)];
      labelAt = mid ? [mid.x + NODE_W / 2, mid.y - 8] : [(a.x + NODE_W + b.x) / 2, (a.y + b.y) / 2 - 8];
    }
    const label = `${fmtCountOf(e.callCount, 'call')}${e.errorCount ? ` · ${fmtCountOf(e.errorCount, 'error')}` : ''}`;
    return { id: `${e.parent}->${e.child}`, e, path, label, labelAt };
  });
}
