/** The service dependency graph for a time range, laid out automatically (layered, left to right). */
import { useEffect, useMemo, useState } from 'react';
import { getDependencies } from '../api/client.js';
import { LOOKBACKS } from '../api/searchQuery.js';
import type { GraphEdge } from '../trace/layout.js';
import { layoutGraph } from '../trace/layout.js';
import { navigate } from '../router.js';
import { colorOf } from '../theme.js';
import { fmtCountOf } from '../trace/format.js';
import { Empty, ErrorState, Loading } from '../components/States.js';

type S = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'done'; edges: GraphEdge[] };

const NODE_W = 150, NODE_H = 40;

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
              {state.edges.map((e) => {
                const a = layout.nodes.find((n) => n.id === e.parent)!, b = layout.nodes.find((n) => n.id === e.child)!;
                const x1 = a.x + NODE_W / 2 + NODE_W / 2, y1 = a.y;
                const x2 = b.x + NODE_W / 2 - NODE_W / 2, y2 = b.y;
                const back = x2 <= x1;
                const path = e.parent === e.child
                  ? `M${a.x + NODE_W * 0.7},${a.y - NODE_H / 2} c 30,-50 -60,-50 -40,0`
                  : back
                    ? `M${a.x + NODE_W / 2},${a.y + NODE_H / 2} C${a.x + NODE_W / 2},${a.y + 90} ${b.x + NODE_W / 2},${b.y + 90} ${b.x + NODE_W / 2},${b.y + NODE_H / 2 + 2}`
                    : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2 - 2},${y2}`;
                const dim = hover && hover !== e.parent && hover !== e.child;
                return (
                  <g key={`${e.parent}->${e.child}`} className={`edge${e.errorCount ? ' err' : ''}${dim ? ' dim' : ''}`} data-edge={`${e.parent}->${e.child}`}>
                    <path d={path} markerEnd="url(#arrow)" strokeWidth={1.5 + Math.min(4, Math.log10(e.callCount + 1))} />
                    <text x={back ? (a.x + b.x) / 2 + NODE_W / 2 : (x1 + x2) / 2} y={back ? Math.max(a.y, b.y) + 72 : (y1 + y2) / 2 - 8} textAnchor="middle" className="edge-label">
                      {fmtCountOf(e.callCount, 'call')}{e.errorCount ? ` · ${fmtCountOf(e.errorCount, 'error')}` : ''}
                    </text>
                  </g>
                );
              })}
              {layout.nodes.map((n) => (
                <g key={n.id} className="node" transform={`translate(${n.x},${n.y - NODE_H / 2})`} onMouseEnter={() => setHover(n.id)} onMouseLeave={() => setHover(null)} onClick={() => navigate(`/search?service=${encodeURIComponent(n.id)}`)} data-service={n.id}>
                  <rect width={NODE_W} height={NODE_H} rx={8} style={{ stroke: colorOf(n.id) }} />
                  <rect width={6} height={NODE_H} rx={3} style={{ fill: colorOf(n.id) }} />
                  <text x={NODE_W / 2 + 3} y={NODE_H / 2 + 4} textAnchor="middle">{n.id.length > 20 ? `${n.id.slice(0, 19)}…` : n.id}</text>
                  <title>{n.id}</title>
                </g>
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
