/** Hot spots: time per service+operation, sorted by self time (time not covered by child spans). */
import type { HotSpot } from '../trace/selfTime.js';
import { fmtDuration, fmtPercent } from '../trace/format.js';
import { colorOf } from '../theme.js';

export function HotSpotsTable(props: { rows: HotSpot[]; active: HotSpot | null; onPick(r: HotSpot): void }) {
  return (
    <div className="panel scroll-panel">
      <p className="muted small pad">
        Self time is the time a span spent in itself, not waiting on its children; its share is of the trace&apos;s duration, so
        spans that ran side by side can add up past 100%. Click a row to highlight its spans on the timeline.
      </p>
      <table className="results-table hot">
        <thead>
          <tr>
            <th>Service</th><th>Operation</th><th className="num">Count</th><th className="num">Total</th>
            <th className="num">Self time</th><th>Share of trace</th><th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={`${r.service}\u0000${r.operation}`} className={r === props.active ? 'active clickable' : 'clickable'} onClick={() => props.onPick(r)}>
              <td><span className="svc-chip" style={{ background: colorOf(r.service) }} />{r.service}</td>
              <td>{r.operation}</td>
              <td className="num">{r.count}</td>
              <td className="num">{fmtDuration(r.total)}</td>
              <td className="num"><b>{fmtDuration(r.self)}</b></td>
              <td>
                <div className="share"><div style={{ width: `${Math.min(100, r.share * 100)}%`, background: colorOf(r.service) }} /></div>
                <span className="small">{fmtPercent(r.share)}</span>
              </td>
              <td className="num">{r.errors ? <span className="err-badge">{r.errors}</span> : <span className="muted">0</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
