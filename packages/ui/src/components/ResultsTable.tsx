/** Search results as a sortable table, newest first by default; two ticked rows can be compared. */
import { useMemo, useState } from 'react';
import type { TraceSummary } from '../trace/model.js';
import { fmtAgo, fmtDuration, fmtTime } from '../trace/format.js';
import { colorOf } from '../theme.js';
import { Link } from './Link.js';
import { navigate } from '../router.js';

type Key = 'start' | 'root' | 'duration' | 'spans' | 'errors';

const cmp: Record<Key, (a: TraceSummary, b: TraceSummary) => number> = {
  start: (a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0),
  root: (a, b) => `${a.rootService} ${a.rootOperation}`.localeCompare(`${b.rootService} ${b.rootOperation}`),
  duration: (a, b) => a.durationNs - b.durationNs,
  spans: (a, b) => a.spanCount - b.spanCount,
  errors: (a, b) => a.errorCount - b.errorCount,
};

export function ResultsTable(props: { traces: TraceSummary[] }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'start', desc: true });
  const [picked, setPicked] = useState<string[]>([]);
  const rows = useMemo(() => {
    const r = props.traces.slice().sort(cmp[sort.key]);
    return sort.desc ? r.reverse() : r;
  }, [props.traces, sort]);
  const head = (key: Key, label: string, cls = '') => (
    <th className={cls} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'root' }))}>
        {label}
        <span className="sort-mark">{sort.key === key ? (sort.desc ? '▼' : '▲') : ''}</span>
      </button>
    </th>
  );
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <div className="panel">
      <div className="table-bar">
        <span>{rows.length} traces</span>
        <div className="spacer" />
        <button disabled={picked.length !== 2} onClick={() => navigate(`/compare?a=${picked[0]}&b=${picked[1]}`)}>
          Compare selected ({picked.length}/2)
        </button>
      </div>
      <table className="results-table">
        <thead>
          <tr>
            <th className="narrow" />
            {head('start', 'Start')}
            {head('root', 'Root service · operation')}
            {head('duration', 'Duration', 'num')}
            {head('spans', 'Spans', 'num')}
            {head('errors', 'Errors', 'num')}
            <th>Services</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.traceId} className={t.errorCount ? 'has-error' : ''}>
              <td className="narrow">
                <input type="checkbox" aria-label={`Select ${t.traceId} for comparison`} checked={picked.includes(t.traceId)} onChange={() => toggle(t.traceId)} />
              </td>
              <td title={fmtTime(t.startNs)}>
                <div>{fmtTime(t.startNs).slice(5)}</div>
                <div className="muted small">{fmtAgo(t.startNs)}</div>
              </td>
              <td>
                <Link to={`/trace/${t.traceId}`} className="trace-link">
                  <span className="svc-chip" style={{ background: colorOf(t.rootService) }} />
                  <b>{t.rootService}</b> <span>{t.rootOperation}</span>
                </Link>
                <div className="muted small mono">{t.traceId}</div>
              </td>
              <td className="num">{fmtDuration(t.durationNs)}</td>
              <td className="num">{t.spanCount}</td>
              <td className="num">{t.errorCount ? <span className="err-badge">{t.errorCount}</span> : <span className="muted">0</span>}</td>
              <td>
                <div className="svc-list">
                  {t.services.map((s) => (
                    <span key={s.name} className="svc-tag" style={{ borderColor: colorOf(s.name) }}>
                      {s.name} <span className="muted">{s.spanCount}</span>
                    </span>
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
