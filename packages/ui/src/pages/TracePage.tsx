/** One trace: header, tabs (timeline with minimap and detail, flame graph, hot spots, raw JSON). */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTrace } from '../hooks/useTrace.js';
import type { CritColumns, Loaded } from '../worker/protocol.js';
import { mainRoot } from '../trace/criticalPath.js';
import { spanIdAt, spanIndex } from '../trace/model.js';
import { hotSpots } from '../trace/selfTime.js';
import type { HotSpot } from '../trace/selfTime.js';
import { defaultCollapsed, reveal, visibleRows } from '../trace/tree.js';
import { traceWorker } from '../worker/client.js';
import { navigate } from '../router.js';
import { ErrorState, Loading } from '../components/States.js';
import { Link } from '../components/Link.js';
import { TraceHeader } from '../components/TraceHeader.js';
import { Minimap } from '../components/Minimap.js';
import { TimeAxis, Waterfall } from '../components/Waterfall.js';
import { SpanDetail } from '../components/SpanDetail.js';
import { HotSpotsTable } from '../components/HotSpotsTable.js';
import { FlameGraph } from '../components/FlameGraph.js';
import { RawJson } from '../components/RawJson.js';
import { useTimelineKeys } from '../hooks/useTimelineKeys.js';

type Tab = 'timeline' | 'flame' | 'hot' | 'json';

export function TracePage(props: { traceId: string; query: URLSearchParams }) {
  const state = useTrace(props.traceId, props.query.get('source') === 'file');
  if (state.kind === 'loading') return <Loading what="Loading trace…" />;
  if (state.kind === 'error') {
    const title = state.status === 404 ? 'Trace not found' : state.status === 400 ? 'Not a trace ID' : 'Could not load the trace';
    return (
      <ErrorState title={title} message={state.message}>
        <p><Link to="/search">Back to search</Link></p>
      </ErrorState>
    );
  }
  return <TraceView loaded={state.loaded} fromFile={state.fromFile} spanParam={props.query.get('span')} tabParam={props.query.get('tab')} />;
}

function TraceView(props: { loaded: Loaded; fromFile: boolean; spanParam: string | null; tabParam: string | null }) {
  const t = props.loaded.trace;
  const key = props.loaded.key;
  const [tab, setTab] = useState<Tab>((['timeline', 'flame', 'hot', 'json'] as const).find((x) => x === props.tabParam) ?? 'timeline');
  const [collapsed, setCollapsed] = useState(() => defaultCollapsed(t));
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState(-1);
  const [view, setView] = useState<[number, number]>([0, 1]);
  const [showCrit, setShowCrit] = useState(true);
  const [find, setFind] = useState('');
  const [matches, setMatches] = useState<Int32Array | null>(null);
  const [hot, setHot] = useState<HotSpot | null>(null);
  const [scrollTo, setScrollTo] = useState<{ span: number; seq: number } | null>(null);
  const theme = document.documentElement.dataset.theme ?? 'light';

  const root = useMemo(() => mainRoot(t), [t]);
  // The worker computes the critical path after the rows are up.
  const [crit, setCrit] = useState<CritColumns | null>(null);
  useEffect(() => {
    let live = true;
    traceWorker.crit(key).then((c) => live && setCrit(c), () => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  const hotRows = useMemo(() => (tab === 'hot' || hot ? hotSpots(t) : []), [t, tab, hot]);
  // `version` bumps when `collapsed` is changed in place.
  const rows = useMemo(() => visibleRows(t, collapsed), [t, collapsed, version]);

  const highlight = useMemo(() => {
    const src = hot ? Int32Array.from(hot.spans) : matches;
    if (!src) return null;
    const h = new Uint8Array(t.n);
    for (const i of src) h[i] = 1;
    return h;
  }, [hot, matches, t]);

  const focus = useCallback(
    (i: number, updateUrl = true) => {
      if (i < 0) return;
      reveal(t, collapsed, i);
      setVersion((v) => v + 1);
      setSelected(i);
      setScrollTo({ span: i, seq: Math.random() });
      if (updateUrl) {
        const q = new URLSearchParams(location.search);
        q.set('span', spanIdAt(t, i));
        navigate(`${location.pathname}?${q}`, true);
      }
    },
    [t, collapsed],
  );

  // Deep link: ?span={spanId} selects and reveals that span.
  useEffect(() => {
    if (!props.spanParam) return;
    const i = spanIndex(t, props.spanParam);
    if (i >= 0) focus(i, false);
  }, [props.spanParam, t]);

  useEffect(() => {
    const q = find.trim();
    if (!q) return setMatches(null);
    let live = true;
    const timer = setTimeout(() => traceWorker.find(key, q).then((m) => live && setMatches(m)), 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [find, key]);

  const toggle = (i: number) => {
    collapsed[i] = collapsed[i] ? 0 : 1;
    setVersion((v) => v + 1);
  };
  const setAll = (c: boolean) => {
    const next = c ? new Uint8Array(t.n).map((_, i) => (t.size[i]! > 0 && t.depth[i]! >= 1 ? 1 : 0)) : new Uint8Array(t.n);
    setCollapsed(next);
  };
  const onKey = useTimelineKeys({ trace: t, rows, collapsed, selected, focus, toggle, clear: () => setSelected(-1) });
  const jumpMatch = (dir: 1 | -1) => {
    const list = hot ? hot.spans : matches ? Array.from(matches) : [];
    if (!list.length) return;
    const sorted = list.slice().sort((a, b) => t.pos[a]! - t.pos[b]!);
    const cur = selected >= 0 ? t.pos[selected]! : -1;
    const next = dir > 0 ? sorted.find((i) => t.pos[i]! > cur) ?? sorted[0]! : [...sorted].reverse().find((i) => t.pos[i]! < cur) ?? sorted[sorted.length - 1]!;
    focus(next);
  };
  const matchCount = hot ? hot.spans.length : matches?.length;

  return (
    <div className="trace-page">
      <TraceHeader trace={t} root={root} fromFile={props.fromFile} />
      <div className="toolbar">
        <div className="tabs" role="tablist">
          {([['timeline', 'Timeline'], ['flame', 'Flame graph'], ['hot', 'Hot spots'], ['json', 'JSON']] as const).map(([id, label]) => (
            <button key={id} role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} onClick={() => setTab(id)}>{label}</button>
          ))}
        </div>
        <div className="spacer" />
        {(tab === 'timeline' || tab === 'flame') && (
          <>
            <div className="find">
              <input
                id="find"
                placeholder="Find spans: text or key=value"
                value={find}
                onChange={(e) => { setHot(null); setFind(e.target.value); }}
                onKeyDown={(e) => e.key === 'Enter' && jumpMatch(e.shiftKey ? -1 : 1)}
                aria-label="Find in trace"
              />
              {matchCount !== undefined && <span className="find-count">{matchCount} {hot ? `${hot.operation} spans` : 'matches'}</span>}
              {(matches || hot) && <button onClick={() => { setFind(''); setHot(null); }} aria-label="Clear find">×</button>}
              <button onClick={() => jumpMatch(-1)} aria-label="Previous match" disabled={!matchCount}>↑</button>
              <button onClick={() => jumpMatch(1)} aria-label="Next match" disabled={!matchCount}>↓</button>
            </div>
            <label className="check"><input type="checkbox" checked={showCrit} onChange={(e) => setShowCrit(e.target.checked)} /> <span className="crit-sample" aria-hidden="true" /> Critical path</label>
          </>
        )}
        {tab === 'timeline' && (
          <>
            <button onClick={() => setAll(false)}>Expand all</button>
            <button onClick={() => setAll(true)}>Collapse all</button>
          </>
        )}
        {!props.fromFile && <Link to={`/compare?a=${t.traceId}`} className="btn">Compare…</Link>}
      </div>
      {tab === 'timeline' && (
        <div className="timeline">
          <div className="tl-main">
            <Minimap trace={t} view={view} onView={setView} theme={theme} />
            <div className="wf-head">
              <div className="wf-name-head">
                Service · operation <span className="muted small">({rows.length.toLocaleString('en-US')} of {t.n.toLocaleString('en-US')} rows)</span>
              </div>
              <TimeAxis duration={t.duration} view={view} />
              {(view[0] > 0 || view[1] < 1) && <button className="reset-zoom" onClick={() => setView([0, 1])}>Reset zoom</button>}
            </div>
            <Waterfall trace={t} rows={rows} collapsed={collapsed} selected={selected} view={view} crit={showCrit ? crit : null} highlight={highlight} scrollTo={scrollTo} onSelect={(i) => focus(i)} onToggle={toggle} onKey={onKey} />
          </div>
          {selected >= 0 && <SpanDetail trace={t} traceKey={key} index={selected} onClose={() => setSelected(-1)} />}
        </div>
      )}
      {tab === 'flame' && (
        <div className="timeline">
          <div className="tl-main scroll-y">
            <FlameGraph trace={t} view={view} selected={selected} highlight={highlight} crit={showCrit ? crit : null} onSelect={setSelected} onView={setView} theme={theme} />
          </div>
          {selected >= 0 && <SpanDetail trace={t} traceKey={key} index={selected} onClose={() => setSelected(-1)} />}
        </div>
      )}
      {tab === 'hot' && (
        <HotSpotsTable rows={hotRows} active={hot} onPick={(r) => { setHot(r); setFind(''); setTab('timeline'); focus(r.spans.slice().sort((a, b) => t.pos[a]! - t.pos[b]!)[0]!); }} />
      )}
      {tab === 'json' && <RawJson traceId={t.traceId} traceKey={key} fromFile={props.fromFile} />}
    </div>
  );
}
