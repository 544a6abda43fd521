/** A service's operations with their latency, rate and error figures over the range, sortable, busiest impact first. */
import { useState } from 'react';
import type { RedSeries } from '../api/metrics.js';
import { fmtDuration } from '../trace/format.js';
import { Link } from './Link.js';

export interface OperationRow {
  operation: string;
  p50: number;
  p95: number;
  p99: number;
  rate: number;
  errors: number;
  /** p95 latency x rate, as a share of the largest: where the service's time goes. */
  impact: number;
}

/** The last point of each whole-range series, with impact computed across them. */
export function operationRows(series: RedSeries[]): OperationRow[] {
  const last = (v: number[]) => v[v.length - 1] ?? NaN;
  const rows = series.map((s) => ({ operation: s.operation, p50: last(s.p50), p95: last(s.p95), p99: last(s.p99), rate: last(s.rate), errors: last(s.errors), impact: 0 }));
  const weight = (r: OperationRow) => (Number.isFinite(r.p95) && Number.isFinite(r.rate) ? r.p95 * r.rate : 0);
  const top = Math.max(0, ...rows.map(weight));
  for (const r of rows) r.impact = top > 0 ? weight(r) / top : 0;
  return rows.filter((r) => r.rate > 0);
}

type Key = keyof OperationRow;
const COLUMNS: [Key, string][] = [
  ['operation', 'Operation'],
  ['p50', 'P50'],
  ['p95', 'P95'],
  ['p99', 'P99'],
  ['rate', 'Requests'],
  ['errors', 'Errors'],
  ['impact', 'Impact'],
];

/** Rows shown before "Show all": a service that names spans by id can have thousands of operations. */
const SHOWN = 100;

export const fmtMs = (ms: number): string => fmtDuration(ms * 1e6);
const short = (v: number): string => (v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3))));
/** Rates in one unit for a whole chart or table: per minute or hour when even the largest is under 1/s or 1/min. */
export const rateFormat = (max: number) => {
  const [scale, unit] = max >= 1 ? [1, '/s'] : max * 60 >= 1 ? [60, '/min'] : [3600, '/h'];
  return (perSec: number): string => (!Number.isFinite(perSec) ? '-' : perSec === 0 ? '0' : `${short(perSec * scale)}${unit}`);
};
export const fmtRatio = (r: number): string =>
  !Number.isFinite(r) ? '-' : r === 0 ? '0%' : r < 0.001 ? '<0.1%' : `${Number((r * 100).toPrecision(2))}%`;

export function OperationsTable(props: { rows: OperationRow[]; selected: string; onSelect: (op: string) => void; searchLink: (op: string) => string }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'impact', desc: true });
  const [all, setAll] = useState(false);
  const rows = props.rows.slice().sort((a, b) => {
    const d = sort.key === 'operation' ? a.operation.localeCompare(b.operation) : (a[sort.key] || 0) - (b[sort.key] || 0);
    return sort.desc ? -d : d;
  });
  const fmtRate = rateFormat(Math.max(...rows.map((r) => r.rate)));
  const cell = (r: OperationRow, k: Key) => {
    if (k === 'p50' || k === 'p95' || k === 'p99') return Number.isFinite(r[k]) ? fmtMs(r[k]) : '-';
    if (k === 'rate') return fmtRate(r.rate);
    return <span className={r.errors > 0 ? 'err-text' : ''}>{fmtRatio(r.errors)}</span>;
  };
  return (
    <table className="results-table ops-table">
      <thead>
        <tr>
          {COLUMNS.map(([k, label]) => (
            <th key={k} className={k === 'operation' ? '' : k === 'impact' ? 'impact-col' : 'num'} aria-sort={sort.key === k ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button onClick={() => setSort((s) => ({ key: k, desc: s.key === k ? !s.desc : k !== 'operation' }))}>
                {label}
                {sort.key === k && <span className="sort-mark">{sort.desc ? '▼' : '▲'}</span>}
              </button>
            </th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {(all ? rows : rows.slice(0, SHOWN)).map((r) => (
          <tr key={r.operation} data-operation={r.operation} className={`clickable ${r.operation === props.selected ? 'active' : ''}`} onClick={() => props.onSelect(r.operation === props.selected ? '' : r.operation)}>
            <td className="op-name">{r.operation}</td>
            {COLUMNS.slice(1, -1).map(([k]) => <td key={k} className="num" data-col={k}>{cell(r, k)}</td>)}
            <td className="impact-col" data-col="impact" title={`${Math.round(r.impact * 100)}% of the top operation's p95 x rate`}>
              <span className="share"><div style={{ width: `${Math.max(r.impact * 100, 1)}%`, background: 'var(--accent)' }} /></span>
            </td>
            <td className="narrow" onClick={(e) => e.stopPropagation()}><Link to={props.searchLink(r.operation)} className="small">traces</Link></td>
          </tr>
        ))}
      </tbody>
      {!all && rows.length > SHOWN && (
        <tfoot>
          <tr>
            <td colSpan={COLUMNS.length + 1} className="more-rows">
              <button onClick={() => setAll(true)}>Show all {rows.length.toLocaleString('en-US')} operations</button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
