/**
 * Monitor: a service's latency (p50/p95/p99), request rate and error rate over time, and its
 * operations ranked by impact, from the stored spans (Jaeger's Monitor API). Service, span kind,
 * range and operation live in the URL, so a link reproduces the view.
 */
import { useEffect, useMemo, useState } from 'react';
import { getServices } from '../api/client.js';
import { getRed, SPAN_KINDS, stepFor, type Red } from '../api/metrics.js';
import { LOOKBACKS } from '../api/searchQuery.js';
import { navigate } from '../router.js';
import { fmtAxisDuration } from '../trace/format.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { LineChart } from '../components/LineChart.js';
import { OperationsTable, fmtMs, fmtRatio, operationRows, rateFormat } from '../components/OperationsTable.js';

interface View {
  service: string;
  kind: string;
  lookback: string;
  operation: string;
}

/** A fetch's state; `last` keeps what was shown before, so a reload does not blank the page. */
type Load = { kind: 'loading'; last?: Red } | { kind: 'error'; message: string } | { kind: 'done'; red: Red };

const viewFromUrl = (q: URLSearchParams): View => ({
  service: q.get('service') ?? '',
  kind: SPAN_KINDS.includes((q.get('kind') ?? '') as (typeof SPAN_KINDS)[number]) ? q.get('kind')! : '',
  lookback: LOOKBACKS.some(([k]) => k === q.get('lookback')) ? q.get('lookback')! : '1h',
  operation: q.get('operation') ?? '',
});

const fmtStep = (ms: number): string => (ms < 60e3 ? `${ms / 1e3} s` : ms < 3600e3 ? `${ms / 60e3} min` : `${ms / 3600e3} h`);

function viewUrl(v: View): string {
  const q = new URLSearchParams({ service: v.service });
  if (v.kind) q.set('kind', v.kind);
  q.set('lookback', v.lookback);
  if (v.operation) q.set('operation', v.operation);
  return `/monitor?${q}`;
}

export function MonitorPage(props: { query: URLSearchParams }) {
  const urlKey = props.query.toString();
  const view = useMemo(() => viewFromUrl(new URLSearchParams(urlKey)), [urlKey]);
  const [services, setServices] = useState<string[] | null>(null);
  const [servicesError, setServicesError] = useState('');
  const [table, setTable] = useState<Load>({ kind: 'loading' });
  const [charts, setCharts] = useState<Load>({ kind: 'loading' });
  const [refresh, setRefresh] = useState(0);
  const set = (patch: Partial<View>) => navigate(viewUrl({ ...view, ...patch }));

  useEffect(() => {
    const ac = new AbortController();
    getServices(ac.signal).then(setServices, (e: Error) => e.name !== 'AbortError' && setServicesError(e.message));
    return () => ac.abort();
  }, []);

  // Like Jaeger's Monitor tab, open on the first service when none is named.
  useEffect(() => {
    if (!view.service && services?.length) navigate(viewUrl({ ...view, service: services[0]! }), true);
  }, [view, services]);

  const lookbackMs = LOOKBACKS.find(([k]) => k === view.lookback)![2];
  // The table (one point per operation over the whole range) does not change with the chosen operation.
  useEffect(() => {
    if (!view.service) return;
    return load(setTable, (signal) => getRed({ service: view.service, kind: view.kind, endMs: Date.now(), lookbackMs, stepMs: lookbackMs }, true, signal));
  }, [view.service, view.kind, lookbackMs, refresh]);
  // The charts: the service's series, or the chosen operation's.
  useEffect(() => {
    if (!view.service) return;
    const range = { service: view.service, kind: view.kind, endMs: Date.now(), lookbackMs, stepMs: stepFor(lookbackMs), operation: view.operation };
    return load(setCharts, (signal) => getRed(range, view.operation !== '', signal));
  }, [view.service, view.kind, lookbackMs, view.operation, refresh]);

  if (servicesError) return <ErrorState title="The Skein server does not answer" message={servicesError}><p>Start it with <code>npx skein serve</code>, then reload.</p></ErrorState>;
  if (services && services.length === 0) return <Empty title="No traces stored yet"><p>Send spans to Skein and their services appear here.</p></Empty>;
  const kindLabel = view.kind ? `${view.kind} spans` : 'spans of every kind';
  return (
    <div className="monitor-page">
      <div className="toolbar">
        <h2>Monitor</h2>
        <label className="inline">
          Service
          <select aria-label="Service" value={view.service} onChange={(e) => set({ service: e.target.value, operation: '' })}>
            {!services?.includes(view.service) && <option value={view.service}>{view.service || '…'}</option>}
            {services?.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="inline">
          Span kind
          <select aria-label="Span kind" value={view.kind} onChange={(e) => set({ kind: e.target.value, operation: '' })}>
            {SPAN_KINDS.map((k) => <option key={k} value={k}>{k || 'All kinds'}</option>)}
          </select>
        </label>
        <label className="inline">
          Range
          <select aria-label="Range" value={view.lookback} onChange={(e) => set({ lookback: e.target.value })}>
            {LOOKBACKS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        <button onClick={() => setRefresh((n) => n + 1)} title="Read the metrics again up to now">Refresh</button>
        <div className="spacer" />
        {view.operation && (
          <span className="pill op-filter">
            {view.operation}
            <button className="pill-x" aria-label="Show the whole service" onClick={() => set({ operation: '' })}>×</button>
          </span>
        )}
      </div>
      {table.kind === 'loading' && <Loading what="Reading metrics…" />}
      {table.kind === 'error' && <ErrorState title="The metrics could not be read" message={table.message} />}
      {table.kind === 'done' && <MonitorBody view={view} stepMs={stepFor(lookbackMs)} table={table.red} charts={charts} kindLabel={kindLabel} set={set} />}
    </div>
  );
}

/** Runs one fetch into a Load state, keeping the last answer on screen meanwhile; returns the effect's cleanup. */
function load(setState: (f: (prev: Load) => Load) => void, fetch: (signal: AbortSignal) => Promise<Red>): () => void {
  const ac = new AbortController();
  setState((prev) => ({ kind: 'loading', last: prev.kind === 'done' ? prev.red : prev.kind === 'loading' ? prev.last : undefined }));
  fetch(ac.signal).then(
    (red) => setState(() => ({ kind: 'done', red })),
    (e: Error) => e.name !== 'AbortError' && setState(() => ({ kind: 'error', message: e.message })),
  );
  return () => ac.abort();
}

function MonitorBody(props: { view: View; stepMs: number; table: Red; charts: Load; kindLabel: string; set: (p: Partial<View>) => void }) {
  const { view } = props;
  const rows = operationRows(props.table.series);
  if (rows.length === 0) {
    return (
      <Empty title={`No ${props.kindLabel} from ${view.service} in this range`}>
        <p>{view.kind ? 'Choose "All kinds" or another span kind, or widen the range.' : 'Widen the range.'}</p>
      </Empty>
    );
  }
  const c = props.charts;
  const red = c.kind === 'done' ? c.red : c.kind === 'loading' ? c.last : undefined;
  // While another operation's series load, the last ones stay (dimmed) rather than an empty chart.
  const s = red?.series.find((x) => x.operation === view.operation) ?? (c.kind === 'loading' ? red?.series[0] : undefined) ?? { p50: [], p95: [], p99: [], rate: [], errors: [] };
  const times = red?.times ?? [];
  const searchLink = (op: string) => `/search?${new URLSearchParams({ service: view.service, ...(op ? { operation: op } : {}), lookback: view.lookback })}`;
  const what = view.operation ? `${view.service}: ${view.operation}` : view.service;
  return (
    <>
      <p className="muted small monitor-what">{what}, {props.kindLabel}; each point covers {fmtStep(props.stepMs)}.</p>
      {c.kind === 'error' && <p className="form-error">The charts could not be read: {c.message}</p>}
      <div className={`charts${c.kind === 'loading' ? ' stale' : ''}`} aria-busy={c.kind === 'loading'}>
        <LineChart title="Latency" times={times} fmt={fmtMs} tickFmt={(ms) => fmtAxisDuration(ms * 1e6)} lines={[
          { label: 'p99', cls: 'c-p99', values: s.p99 },
          { label: 'p95', cls: 'c-p95', values: s.p95 },
          { label: 'p50', cls: 'c-p50', values: s.p50 },
        ]} />
        <LineChart title="Request rate" times={times} fmt={rateFormat(Math.max(0, ...s.rate.filter(Number.isFinite)))} lines={[{ label: 'requests', cls: 'c-rate', values: s.rate }]} />
        <LineChart title="Error rate" times={times} fmt={fmtRatio} lines={[{ label: 'errors', cls: 'c-err', values: s.errors }]} empty="No calls in this range" yCap={1} />
      </div>
      <div className="panel">
        <div className="table-bar">
          <h2>Operations</h2>
          <span className="muted small">over the whole range; click one to chart it alone</span>
        </div>
        <OperationsTable rows={rows} selected={view.operation} onSelect={(operation) => props.set({ operation })} searchLink={searchLink} />
      </div>
    </>
  );
}
