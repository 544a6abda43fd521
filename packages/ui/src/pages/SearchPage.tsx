/** Search: the form (state kept in the URL), a duration-over-time scatter plot and the results table. */
import { useEffect, useMemo, useState } from 'react';
import { getOperations, getReceivers, getServices, searchTraces } from '../api/client.js';
import type { SearchState } from '../api/searchQuery.js';
import { LOOKBACKS, checkDuration, parseTags, searchFromUrl, searchRange, searchToUrl } from '../api/searchQuery.js';
import { navigate } from '../router.js';
import type { TraceSummary } from '../trace/model.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { Scatter } from '../components/Scatter.js';
import { ResultsTable } from '../components/ResultsTable.js';

type Result = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'done'; traces: TraceSummary[] };

export function SearchPage(props: { query: URLSearchParams }) {
  const urlKey = props.query.toString();
  const fromUrl = useMemo(() => searchFromUrl(new URLSearchParams(urlKey)), [urlKey]);
  const [form, setForm] = useState<SearchState>(fromUrl);
  const [services, setServices] = useState<string[] | null>(null);
  const [servicesError, setServicesError] = useState('');
  const [operations, setOperations] = useState<string[]>([]);
  const [formError, setFormError] = useState('');
  const [result, setResult] = useState<Result>({ kind: 'idle' });

  useEffect(() => setForm(fromUrl), [fromUrl]);

  useEffect(() => {
    const ac = new AbortController();
    getServices(ac.signal).then(
      (s) => {
        setServices(s);
        setServicesError('');
      },
      (e: Error) => e.name !== 'AbortError' && setServicesError(e.message),
    );
    return () => ac.abort();
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    getOperations(form.service, ac.signal).then(setOperations, () => setOperations([]));
    return () => ac.abort();
  }, [form.service]);

  // The URL is the search: run it whenever the URL names a service.
  useEffect(() => {
    if (!fromUrl.service) {
      setResult({ kind: 'idle' });
      return;
    }
    const ac = new AbortController();
    let params;
    try {
      const [startMs, endMs] = searchRange(fromUrl);
      params = {
        service: fromUrl.service, operation: fromUrl.operation, tags: parseTags(fromUrl.tags),
        minDuration: checkDuration('Min duration', fromUrl.minDuration), maxDuration: checkDuration('Max duration', fromUrl.maxDuration),
        startMs, endMs, limit: fromUrl.limit,
      };
    } catch (e) {
      setResult({ kind: 'error', message: (e as Error).message });
      return;
    }
    setResult({ kind: 'loading' });
    searchTraces(params, ac.signal).then(
      (traces) => setResult({ kind: 'done', traces }),
      (e: Error) => e.name !== 'AbortError' && setResult({ kind: 'error', message: e.message }),
    );
    return () => ac.abort();
  }, [fromUrl]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    try {
      if (!form.service) throw new Error('pick a service to search');
      parseTags(form.tags);
      checkDuration('Min duration', form.minDuration);
      checkDuration('Max duration', form.maxDuration);
      searchRange(form);
      setFormError('');
    } catch (err) {
      setFormError((err as Error).message);
      return;
    }
    const next = `/search?${searchToUrl(form)}`;
    if (next === location.pathname + location.search) setForm({ ...form }); // same URL: the effect will not rerun
    navigate(next);
  };
  const set = <K extends keyof SearchState>(k: K, v: SearchState[K]) => setForm((f) => ({ ...f, [k]: v }));

  return (
    <div className="search-page">
      <aside className="panel search-form">
        <form onSubmit={submit}>
          <h2>Find traces</h2>
          <label>
            Service
            <input list="services" value={form.service} onChange={(e) => setForm((f) => ({ ...f, service: e.target.value, operation: '' }))} placeholder={services?.length ? 'Choose a service' : services ? 'No services yet' : 'Service name'} name="service" autoComplete="off" />
            <datalist id="services">{services?.map((s) => <option key={s} value={s} />)}</datalist>
          </label>
          <label>
            Operation
            <input list="operations" value={form.operation} onChange={(e) => set('operation', e.target.value)} placeholder="All operations" name="operation" autoComplete="off" />
            <datalist id="operations">{operations.map((s) => <option key={s} value={s} />)}</datalist>
          </label>
          <label>
            Attributes
            <textarea rows={3} value={form.tags} onChange={(e) => set('tags', e.target.value)} placeholder={'http.status_code=500\nsandbox.id="a b=c"'} name="tags" spellCheck={false} />
            <span className="hint">One <code>key=value</code> per line; the value is the rest of the line.</span>
          </label>
          <div className="row2">
            <label>
              Min duration
              <input value={form.minDuration} onChange={(e) => set('minDuration', e.target.value)} placeholder="e.g. 100ms" name="minDuration" />
            </label>
            <label>
              Max duration
              <input value={form.maxDuration} onChange={(e) => set('maxDuration', e.target.value)} placeholder="e.g. 2s" name="maxDuration" />
            </label>
          </div>
          <label>
            Time range
            <select value={form.lookback} onChange={(e) => set('lookback', e.target.value)} name="lookback">
              {LOOKBACKS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
              <option value="custom">Custom range…</option>
            </select>
          </label>
          {form.lookback === 'custom' && (
            <div className="row2">
              <label>From<input type="datetime-local" step="1" value={form.start} onChange={(e) => set('start', e.target.value)} /></label>
              <label>To<input type="datetime-local" step="1" value={form.end} onChange={(e) => set('end', e.target.value)} /></label>
            </div>
          )}
          <label>
            Limit
            <input type="number" min={1} max={1500} value={form.limit} onChange={(e) => set('limit', Math.max(1, Number(e.target.value) || 20))} name="limit" />
          </label>
          {formError && <p className="form-error" role="alert">{formError}</p>}
          <button className="primary" type="submit">Find traces</button>
          {servicesError && result.kind !== 'idle' && <p className="form-error">{servicesError}</p>}
        </form>
      </aside>
      <section className="results">
        {result.kind === 'idle' &&
          (servicesError ? (
            <ErrorState title="The Skein server does not answer" message={servicesError}><p>Start it with <code>npx skein serve</code>, then reload.</p></ErrorState>
          ) : services && services.length === 0 ? (
            <Empty title="No traces stored yet">
              <SendSpansHint />
            </Empty>
          ) : (
            <Empty title="Pick a service and search">
              <p>Results come newest first. Filters, range and limit are kept in the address, so a link reproduces the search.</p>
            </Empty>
          ))}
        {result.kind === 'loading' && <Loading what="Searching…" />}
        {result.kind === 'error' && <ErrorState title="The search failed" message={result.message} />}
        {result.kind === 'done' && result.traces.length === 0 && (
          <Empty title="No traces match"><p>Widen the time range, or remove a filter.</p></Empty>
        )}
        {result.kind === 'done' && result.traces.length > 0 && (
          <>
            <Scatter traces={result.traces} onOpen={(id) => navigate(`/trace/${id}`)} />
            <ResultsTable traces={result.traces} />
          </>
        )}
      </section>
    </div>
  );
}

/** Where to send spans: this server's own OTLP addresses, or the standard ports when it does not say. */
function SendSpansHint() {
  const [at, setAt] = useState<Record<string, string>>({});
  useEffect(() => {
    const ac = new AbortController();
    void getReceivers(ac.signal).then(setAt);
    return () => ac.abort();
  }, []);
  const http = at.otlpHttp ? `http://${at.otlpHttp}` : 'port 4318';
  const grpc = at.otlpGrpc ?? (at.otlpHttp ? undefined : 'port 4317');
  return (
    <p>
      Send spans over OTLP to <code className="send-to">{http}</code> (HTTP){grpc && <> or <code className="send-to">{grpc}</code> (gRPC)</>}, or <a href="/open">open a trace file</a>.
    </p>
  );
}
