/** Duration over time, one dot per trace (size by span count, red with errors); a click opens the trace. */
import { useState } from 'react';
import type { TraceSummary } from '../trace/model.js';
import { fmtAxisDuration, fmtAxisTimes, fmtDuration } from '../trace/format.js';
import { niceTicks } from './axis.js';

const W = 900, H = 180, PAD = { l: 64, r: 16, t: 12, b: 26 };

export function Scatter(props: { traces: TraceSummary[]; onOpen: (id: string) => void }) {
  const [hover, setHover] = useState<TraceSummary | null>(null);
  const ts = props.traces;
  const times = ts.map((t) => Number(t.startNs / 1_000_000n));
  let t0 = Math.min(...times), t1 = Math.max(...times);
  if (t1 - t0 < 1000) {
    t0 -= 500;
    t1 += 500;
  }
  // Keep the outermost dots clear of the axes.
  const padT = (t1 - t0) * 0.04;
  t0 -= padT;
  t1 += padT;
  const maxDur = Math.max(...ts.map((t) => t.durationNs)) * 1.08 || 1;
  const yTicks = niceTicks(maxDur);
  const yMax = yTicks[yTicks.length - 1]! || maxDur;
  const x = (ms: number) => PAD.l + ((ms - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (ns: number) => H - PAD.b - (ns / yMax) * (H - PAD.t - PAD.b);
  const maxSpans = Math.max(...ts.map((t) => t.spanCount));
  const xTicks = [t0, t0 + (t1 - t0) / 3, t0 + (2 * (t1 - t0)) / 3, t1];
  const xLabels = fmtAxisTimes(xTicks);
  return (
    <div className="panel scatter">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Trace durations over time">
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.l - 8} y={y(v) + 4} className="axis" textAnchor="end">{fmtAxisDuration(v)}</text>
          </g>
        ))}
        {xTicks.map((v, i) => (
          <text key={i} x={x(v)} y={H - 6} className="axis" textAnchor={i === 0 ? 'start' : i === 3 ? 'end' : 'middle'}>
            {xLabels[i]}
          </text>
        ))}
        {ts.map((t, i) => (
          <circle
            key={t.traceId}
            data-trace-id={t.traceId}
            cx={x(times[i]!)}
            cy={y(t.durationNs)}
            r={4 + 6 * Math.sqrt(t.spanCount / Math.max(1, maxSpans))}
            className={t.errorCount ? 'dot err' : 'dot'}
            onMouseEnter={() => setHover(t)}
            onMouseLeave={() => setHover(null)}
            onClick={() => props.onOpen(t.traceId)}
          />
        ))}
      </svg>
      <div className="scatter-caption">
        {hover ? (
          <span>
            <b>{hover.rootService}</b>: {hover.rootOperation} · {fmtDuration(hover.durationNs)} · {hover.spanCount} spans
            {hover.errorCount ? ` · ${hover.errorCount} errors` : ''}
          </span>
        ) : (
          <span className="muted">{ts.length} traces · click a dot to open it</span>
        )}
      </div>
    </div>
  );
}
