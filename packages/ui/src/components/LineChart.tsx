/** A small time-series chart: lines with gaps where there is no value, and a crosshair that reads them out. */
import { useRef, useState } from 'react';
import { fmtAxisTimes, fmtTime } from '../trace/format.js';
import { niceTicks } from './axis.js';

export interface Line {
  label: string;
  /** CSS class that colours the line (stroke) and its legend chip (background). */
  cls: string;
  values: number[];
}

const W = 440, H = 170, PAD = { l: 58, r: 12, t: 10, b: 24 };

/** SVG path of one line; NaN breaks it, and a lone value between gaps becomes a dot. */
function pathOf(values: number[], x: (i: number) => number, y: (v: number) => number): { d: string; dots: number[] } {
  let d = '';
  const dots: number[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const joined = i > 0 && Number.isFinite(values[i - 1]!);
    d += `${joined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    if (!joined && !Number.isFinite(values[i + 1] ?? NaN)) dots.push(i);
  });
  return { d, dots };
}

export interface LineChartProps {
  title: string;
  /** The time of each value, ms since the epoch. */
  times: number[];
  lines: Line[];
  /** Values as the caption reads them out. */
  fmt: (v: number) => string;
  /** Values on the axis, when shorter than fmt. */
  tickFmt?: (v: number) => string;
  /** What the chart says when no line has a value. */
  empty?: string;
  /** The axis never goes past this (100% for ratios). */
  yCap?: number;
}

export function LineChart(props: LineChartProps) {
  const { times, lines, fmt } = props;
  const [at, setAt] = useState<number | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const max = Math.max(0, ...lines.flatMap((l) => l.values.filter(Number.isFinite)));
  const yTicks = niceTicks(Math.min(max * 1.05, props.yCap ?? Infinity));
  const yMax = yTicks[yTicks.length - 1]! || 1;
  const n = times.length;
  const x = (i: number) => PAD.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.l - PAD.r));
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const xIdx = n > 1 ? [0, Math.round((n - 1) / 3), Math.round((2 * (n - 1)) / 3), n - 1] : [];
  const xLabels = fmtAxisTimes(xIdx.map((i) => times[i]!));
  const hasData = lines.some((l) => l.values.some(Number.isFinite));

  const onMove = (e: React.MouseEvent) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box || n < 2) return;
    const vx = ((e.clientX - box.left) / box.width) * W;
    setAt(Math.max(0, Math.min(n - 1, Math.round(((vx - PAD.l) / (W - PAD.l - PAD.r)) * (n - 1)))));
  };
  return (
    <div className="panel chart" data-chart={props.title}>
      <div className="chart-head">
        <h3>{props.title}</h3>
        <span className="legend-row">
          {lines.map((l) => (
            <span key={l.label} className="legend"><span className={`lg ${l.cls}`} />{l.label}</span>
          ))}
        </span>
      </div>
      <svg ref={svg} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title} onMouseMove={onMove} onMouseLeave={() => setAt(null)}>
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.l - 6} y={y(v) + 4} className="axis" textAnchor="end">{(props.tickFmt ?? fmt)(v)}</text>
          </g>
        ))}
        {xIdx.map((i, k) => (
          <text key={k} x={x(i)} y={H - 6} className="axis" textAnchor={k === 0 ? 'start' : k === 3 ? 'end' : 'middle'}>{xLabels[k]}</text>
        ))}
        {lines.map((l) => {
          const { d, dots } = pathOf(l.values, x, y);
          return (
            <g key={l.label} className={`series ${l.cls}`} data-series={l.label}>
              <path d={d} />
              {dots.map((i) => <circle key={i} cx={x(i)} cy={y(l.values[i]!)} r={2} />)}
            </g>
          );
        })}
        {at !== null && (
          <g className="crosshair">
            <line x1={x(at)} x2={x(at)} y1={PAD.t} y2={H - PAD.b} />
            {lines.map((l) => Number.isFinite(l.values[at]!) && <circle key={l.label} className={l.cls} cx={x(at)} cy={y(l.values[at]!)} r={3} />)}
          </g>
        )}
        {!hasData && <text x={(PAD.l + W - PAD.r) / 2} y={H / 2} className="axis" textAnchor="middle">{props.empty ?? 'No data in this range'}</text>}
      </svg>
      <div className="chart-caption">
        {at !== null ? (
          <span>
            <span className="muted">{fmtTime(BigInt(Math.round(times[at]!)) * 1_000_000n).slice(11, 19)}</span>
            {lines.map((l) => <span key={l.label}> · {l.label} <b>{Number.isFinite(l.values[at]!) ? fmt(l.values[at]!) : '-'}</b></span>)}
          </span>
        ) : (
          <span className="muted">Hover to read the values</span>
        )}
      </div>
    </div>
  );
}
