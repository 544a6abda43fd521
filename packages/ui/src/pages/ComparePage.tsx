/** Compare two traces: spans matched by service+operation path, count and duration differences on one tree. */
import { useEffect, useMemo, useState } from 'react';
import { compareTraces } from '../trace/compare.js';
import type { CompareRow } from '../trace/compare.js';
import { fmtDuration } from '../trace/format.js';
import { normTraceId, useTrace } from '../hooks/useTrace.js';
import type { TraceState } from '../hooks/useTrace.js';
import { navigate } from '../router.js';
import { colorOf } from '../theme.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { Link } from '../components/Link.js';

function Side(props: { label: string; state: TraceState; id: string }) {
  if (props.state.kind === 'loading') return <span className="muted">loading…</span>;
  if (props.state.kind === 'error') return <span className="err-text">{props.state.message}</span>;
  const t = props.state.loaded.trace;
  return (
    <span>
      <b>{props.label}</b> <Link to={`/trace/${props.id}`} className="mono">{props.id.slice(0, 16)}…</Link> · {t.n} spans · {fmtDuration(t.duration)}
    </span>
  );
}

export function ComparePage(props: { query: URLSearchParams }) {
  const a = props.query.get('a') ?? '', b = props.query.get('b') ?? '';
  const [fa, setFa] = useState(a), [fb, setFb] = useState(b);
  const [err, setErr] = useState('');
  useEffect(() => { setFa(a); setFb(b); }, [a, b]);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const na = normTraceId(fa), nb = normTraceId(fb);
    if (!na || !nb) return setErr('Both trace IDs must be 16 or 32 hex digits');
    setErr('');
    navigate(`/compare?a=${na}&b=${nb}`);
  };
  return (
    <div className="compare-page">
      <form className="panel compare-form" onSubmit={submit}>
        <label>Trace A (baseline)<input value={fa} onChange={(e) => setFa(e.target.value)} placeholder="trace ID" name="a" className="mono" /></label>
        <label>Trace B<input value={fb} onChange={(e) => setFb(e.target.value)} placeholder="trace ID" name="b" className="mono" /></label>
        <button className="primary" type="submit">Compare</button>
        {err && <p className="form-error">{err}</p>}
      </form>
      {a && b ? <CompareResult a={a} b={b} /> : (
        <Empty title="Pick two traces to compare">
          <p>For instance a slow and a fast run of the same operation. Tick two search results and press “Compare selected”, or paste two trace IDs.</p>
        </Empty>
      )}
    </div>
  );
}

function CompareResult(props: { a: string; b: string }) {
  const sa = useTrace(props.a, false), sb = useTrace(props.b, false);
  const rows = useMemo(
    () => (sa.kind === 'ready' && sb.kind === 'ready' ? compareTraces(sa.loaded.trace, sb.loaded.trace) : null),
    [sa, sb],
  );
  const [onlyDiff, setOnlyDiff] = useState(false);
  if (sa.kind === 'loading' || sb.kind === 'loading') return <Loading what="Loading both traces…" />;
  if (sa.kind === 'error' || sb.kind === 'error') {
    const e = (sa.kind === 'error' ? sa : sb) as Extract<TraceState, { kind: 'error' }>;
    return <ErrorState title={`Trace ${sa.kind === 'error' ? 'A' : 'B'} could not be loaded`} message={e.message} />;
  }
  const all = rows!;
  const shown = onlyDiff ? all.filter((r) => r.change !== 'same' || Math.abs(r.durB - r.durA) > 0.2 * Math.max(r.durA, 1)) : all;
  const maxDur = Math.max(1, ...all.map((r) => Math.max(r.durA, r.durB)));
  const counts = { added: 0, removed: 0, changed: 0 } as Record<CompareRow['change'], number>;
  for (const r of all) counts[r.change] = (counts[r.change] ?? 0) + 1;
  return (
    <div className="panel">
      <div className="table-bar">
        <Side label="A" state={sa} id={props.a} />
        <span className="muted">vs</span>
        <Side label="B" state={sb} id={props.b} />
        <div className="spacer" />
        <span className="legend"><i className="lg added" /> only in B {counts.added} <i className="lg removed" /> only in A {counts.removed} <i className="lg changed" /> count differs {counts.changed}</span>
        <label className="check"><input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Differences only</label>
      </div>
      <table className="results-table compare">
        <thead>
          <tr>
            <th>Service · operation</th><th className="num">Count A</th><th className="num">Count B</th>
            <th className="num">Time A</th><th className="num">Time B</th><th className="num">Δ time</th><th className="bars-col">A / B</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => {
            const d = r.durB - r.durA;
            return (
              <tr key={r.path} className={`cmp-${r.change}`} data-change={r.change}>
                <td style={{ paddingLeft: 10 + r.depth * 16 }}>
                  <span className="svc-chip" style={{ background: colorOf(r.service) }} />
                  <span className="wf-svc">{r.service}</span> <span>{r.operation}</span>
                </td>
                <td className="num">{r.countA || '–'}</td>
                <td className="num">{r.countB || '–'}{r.countA && r.countB && r.countA !== r.countB ? <span className={r.countB > r.countA ? 'delta up' : 'delta down'}> {r.countB > r.countA ? '+' : ''}{r.countB - r.countA}</span> : null}</td>
                <td className="num">{r.countA ? fmtDuration(r.durA) : '–'}</td>
                <td className="num">{r.countB ? fmtDuration(r.durB) : '–'}</td>
                <td className={`num delta ${d > 0 ? 'up' : d < 0 ? 'down' : ''}`}>{r.countA && r.countB ? `${d > 0 ? '+' : ''}${fmtDuration(d)}` : ''}</td>
                <td className="bars-col">
                  <div className="cmp-bar a" style={{ width: `${(r.durA / maxDur) * 100}%` }} />
                  <div className="cmp-bar b" style={{ width: `${(r.durB / maxDur) * 100}%` }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
