/** Everything about one span: timing, status, kind, ids (copyable), typed attributes, resource, events, links. */
import { useEffect, useState } from 'react';
import type { Attr, ParsedSpan, Trace } from '../trace/model.js';
import { fmtCountOf, fmtDuration, fmtTime } from '../trace/format.js';
import { traceWorker } from '../worker/client.js';
import { colorOf } from '../theme.js';
import { Link } from './Link.js';
import { getTypical, type Typical } from '../api/metrics.js';

function Copy(props: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      className="copy"
      aria-label={`Copy ${props.label}`}
      onClick={() => {
        void navigator.clipboard?.writeText(props.text).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

export function AttrTable(props: { attrs: Attr[]; empty: string }) {
  if (props.attrs.length === 0) return <p className="muted small">{props.empty}</p>;
  return (
    <table className="kv">
      <tbody>
        {props.attrs.map((a, k) => (
          <tr key={k}>
            <th>{a.key}</th>
            <td>
              <span className={`v v-${a.type}`}>{a.value}</span>
              <span className="type">{a.type}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LinkRow(props: { traceId: string; spanId: string; attrs: Attr[] }) {
  const [stored, setStored] = useState<boolean | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    fetch(`/api/traces/${props.traceId}`, { signal: ac.signal, method: 'HEAD' })
      .then((r) => setStored(r.ok))
      .catch(() => setStored(false));
    return () => ac.abort();
  }, [props.traceId]);
  const target = `/trace/${props.traceId}?span=${props.spanId}`;
  return (
    <li>
      {stored ? <Link to={target} className="mono">{props.traceId}</Link> : <span className="mono muted" title={stored === false ? 'That trace is not stored' : ''}>{props.traceId}</span>}
      <span className="mono small"> / {props.spanId}</span>
      {props.attrs.length > 0 && <AttrTable attrs={props.attrs} empty="" />}
    </li>
  );
}

/**
 * Is this span slow? Its operation's p50/p95 over the hour before the trace began (one question
 * per operation and trace, however many of its spans are opened), and a way to the Monitor.
 */
function TypicalRow(props: { service: string; operation: string; traceStartNs: string; durNs: number }) {
  const [typical, setTypical] = useState<Typical | null | undefined>(undefined);
  const endMs = Number(BigInt(props.traceStartNs) / 1_000_000n);
  useEffect(() => {
    let live = true;
    setTypical(undefined);
    // A backend without metrics (an error) shows nothing rather than "no calls".
    getTypical(props.service, props.operation, endMs).then(
      (t) => live && setTypical(t),
      () => live && setTypical(undefined),
    );
    return () => {
      live = false;
    };
  }, [props.service, props.operation, endMs]);
  if (typical === undefined) return null;
  const monitor = `/monitor?${new URLSearchParams({ service: props.service, lookback: '1h', operation: props.operation })}`;
  const slow = typical !== null && props.durNs > typical.p95 * 1e6;
  return (
    <>
      <dt>Typical</dt>
      <dd className="typical">
        {typical ? (
          <>
            p50 {fmtDuration(typical.p50 * 1e6)} · p95 {fmtDuration(typical.p95 * 1e6)}
            {slow && <span className="pill warn">slower than p95</span>}
            <div className="muted small">{fmtCountOf(typical.calls, 'call')} in the hour before this trace · <Link to={monitor}>Monitor</Link></div>
          </>
        ) : (
          <span className="muted small">no calls in the hour before this trace · <Link to={monitor}>Monitor</Link></span>
        )}
      </dd>
    </>
  );
}

export function SpanDetail(props: { trace: Trace; traceKey: string; index: number; onClose(): void }) {
  const t = props.trace, i = props.index;
  const [span, setSpan] = useState<ParsedSpan | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    setSpan(null);
    traceWorker.detail(props.traceKey, i).then((s) => live && setSpan(s), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [props.traceKey, i]);
  const svc = t.services[t.svcIdx[i]!]!;
  return (
    <aside className="detail" aria-label="Span detail">
      <div className="detail-head">
        <span className="svc-chip" style={{ background: colorOf(svc) }} />
        <div className="detail-title">
          <h3>{t.names[t.nameIdx[i]!]}</h3>
          <div className="muted">{svc}</div>
        </div>
        <button className="icon-btn" onClick={props.onClose} aria-label="Close span detail">×</button>
      </div>
      {error && <p className="form-error">{error}</p>}
      {span && (
        <div className="detail-body">
          <dl className="facts">
            <dt>Duration</dt><dd>{fmtDuration(t.dur[i]!)}</dd>
            <TypicalRow service={svc} operation={t.names[t.nameIdx[i]!]!} traceStartNs={t.baseNs} durNs={t.dur[i]!} />
            <dt>Starts at</dt><dd>+{fmtDuration(t.start[i]!)} <span className="muted small">({fmtTime(span.startNs)})</span></dd>
            <dt>Kind</dt><dd>{span.kind}</dd>
            <dt>Status</dt>
            <dd className={span.status.code === 'ERROR' ? 'err-text' : ''}>{span.status.code}{span.status.message ? `: ${span.status.message}` : ''}</dd>
            {span.scope && (<><dt>Scope</dt><dd>{span.scope}</dd></>)}
            <dt>Span ID</dt><dd className="mono">{span.spanId} <Copy text={span.spanId} label="span ID" /></dd>
            <dt>Trace ID</dt><dd className="mono">{span.traceId} <Copy text={span.traceId} label="trace ID" /></dd>
            {span.parentSpanId && (<><dt>Parent</dt><dd className="mono">{span.parentSpanId} <Copy text={span.parentSpanId} label="parent ID" /></dd></>)}
          </dl>
          <h4>Attributes <span className="count">{span.attributes.length}</span></h4>
          <AttrTable attrs={span.attributes} empty="No attributes" />
          <h4>Events <span className="count">{span.events.length}</span></h4>
          {span.events.length === 0 ? <p className="muted small">No events</p> : (
            <ul className="events">
              {span.events.map((e, k) => (
                <li key={k}>
                  <div><span className="mono small">+{fmtDuration(Number(e.timeNs - span.startNs))}</span> <b>{e.name}</b></div>
                  {e.attributes.length > 0 && <AttrTable attrs={e.attributes} empty="" />}
                </li>
              ))}
            </ul>
          )}
          <h4>Links <span className="count">{span.links.length}</span></h4>
          {span.links.length === 0 ? <p className="muted small">No links</p> : (
            <ul className="links">{span.links.map((l, k) => <LinkRow key={k} traceId={l.traceId} spanId={l.spanId} attrs={l.attributes} />)}</ul>
          )}
          <h4>Resource <span className="count">{span.resource.length}</span></h4>
          <AttrTable attrs={span.resource} empty="No resource attributes" />
        </div>
      )}
    </aside>
  );
}
