/** The trace's headline facts: root service and operation, start, duration, spans, depth, services, errors. */
import type { Trace } from '../trace/model.js';
import { fmtCount, fmtDuration, fmtTime } from '../trace/format.js';
import { colorOf } from '../theme.js';

export function TraceHeader(props: { trace: Trace; root: number; fromFile: boolean }) {
  const t = props.trace;
  const r = props.root;
  let errors = 0;
  const perService = new Int32Array(t.services.length);
  for (let i = 0; i < t.n; i++) {
    errors += t.error[i]!;
    perService[t.svcIdx[i]!]!++;
  }
  return (
    <div className="trace-header">
      <div className="th-title">
        <h1>
          <span className="svc-chip big" style={{ background: colorOf(t.services[t.svcIdx[r]!]!) }} />
          <span className="th-svc">{t.services[t.svcIdx[r]!]}</span>
          <span className="th-op">{t.names[t.nameIdx[r]!]}</span>
        </h1>
        <div className="mono muted small">
          {t.traceId}
          {props.fromFile && <span className="pill">from file</span>}
        </div>
      </div>
      <dl className="th-facts">
        <div><dt>Start</dt><dd>{fmtTime(t.baseNs)}</dd></div>
        <div><dt>Duration</dt><dd>{fmtDuration(t.duration)}</dd></div>
        <div><dt>Spans</dt><dd>{fmtCount(t.n)}</dd></div>
        <div><dt>Depth</dt><dd>{t.maxDepth + 1}</dd></div>
        <div><dt>Services</dt><dd>{t.services.length}</dd></div>
        <div><dt>Errors</dt><dd className={errors ? 'err-text' : ''}>{errors}</dd></div>
      </dl>
      <div className="th-services">
        {t.services.map((s, k) => (
          <span key={s} className="svc-tag" style={{ borderColor: colorOf(s) }}>
            <span className="svc-chip" style={{ background: colorOf(s) }} />
            {s} <span className="muted">{perService[k]}</span>
          </span>
        ))}
        {t.orphans > 0 && <span className="pill warn" title="Spans whose parent span is not in the trace">{t.orphans} orphan spans</span>}
      </div>
    </div>
  );
}
