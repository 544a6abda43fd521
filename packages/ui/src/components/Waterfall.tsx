/**
 * The timeline: one row per visible span, indented by the tree, bars on a shared time axis.
 * Only the rows in view are in the DOM, so 100k+ spans scroll as smoothly as 100.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Trace } from '../trace/model.js';
import { spanIdAt } from '../trace/model.js';
import type { CritColumns } from '../worker/protocol.js';
import { critOf } from '../worker/protocol.js';
import { fmtDuration } from '../trace/format.js';
import { colorOf } from '../theme.js';

export const ROW = 24;
const OVERSCAN = 12;

export interface WaterfallProps {
  trace: Trace;
  rows: Int32Array;
  collapsed: Uint8Array;
  selected: number;
  /** Visible window as fractions of the trace duration. */
  view: [number, number];
  crit: CritColumns | null;
  highlight: Uint8Array | null;
  scrollTo: { span: number; seq: number } | null;
  onSelect(span: number): void;
  onToggle(span: number): void;
  onKey(e: React.KeyboardEvent): void;
}

export function TimeAxis(props: { duration: number; view: [number, number] }) {
  const [v0, v1] = props.view;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="time-axis">
      {ticks.map((f) => (
        <span key={f} style={{ left: `${f * 100}%` }} className={f === 1 ? 'last' : f === 0 ? 'first' : ''}>
          {fmtDuration((v0 + f * (v1 - v0)) * props.duration)}
        </span>
      ))}
    </div>
  );
}

export function Waterfall(p: WaterfallProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState(0);
  const [height, setHeight] = useState(600);
  const t = p.trace;

  useLayoutEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Bring a span into view when asked (deep link, keyboard, hot-spot click), centring it if far.
  useEffect(() => {
    if (!p.scrollTo) return;
    const el = box.current!;
    const r = p.rows.indexOf(p.scrollTo.span);
    if (r < 0) return;
    const top = r * ROW;
    if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 3);
  }, [p.scrollTo]);

  const first = Math.max(0, Math.floor(scroll / ROW) - OVERSCAN);
  const last = Math.min(p.rows.length, Math.ceil((scroll + height) / ROW) + OVERSCAN);
  const [v0, v1] = p.view;
  const span = (v1 - v0) * t.duration || 1;
  const x = (ns: number) => ((ns - v0 * t.duration) / span) * 100;
  const items = [];
  for (let r = first; r < last; r++) {
    const i = p.rows[r]!;
    const svc = t.services[t.svcIdx[i]!]!;
    const name = t.names[t.nameIdx[i]!]!;
    const kids = t.childStart[i + 1]! - t.childStart[i]!;
    const left = x(t.start[i]!), width = Math.max((t.dur[i]! / span) * 100, 0.08);
    const segs = p.crit ? critOf(p.crit, i) : undefined;
    const cls = ['wf-row'];
    if (i === p.selected) cls.push('selected');
    if (p.highlight?.[i]) cls.push('highlight');
    if (p.highlight && !p.highlight[i]) cls.push('dim');
    if (segs) cls.push('crit');
    // Duration label: after the bar when there is room, inside a wide bar, else before the bar.
    const labelAt = left + width < 88 ? 'right' : width > 12 ? 'inside' : 'left';
    items.push(
      <div key={i} className={cls.join(' ')} style={{ top: r * ROW }} data-span-id={spanIdAt(t, i)} role="treeitem" aria-level={t.depth[i]! + 1} aria-selected={i === p.selected} aria-expanded={kids ? !p.collapsed[i] : undefined} onClick={() => p.onSelect(i)}>
        <div className="wf-name" style={{ paddingLeft: 6 + Math.min(t.depth[i]!, 40) * 14 }}>
          {kids > 0 ? (
            <button className="twisty" aria-label={p.collapsed[i] ? 'Expand' : 'Collapse'} onClick={(e) => { e.stopPropagation(); p.onToggle(i); }}>
              {p.collapsed[i] ? '▸' : '▾'}
            </button>
          ) : (
            <span className="twisty-space" />
          )}
          <span className="svc-chip" style={{ background: colorOf(svc) }} />
          <span className="wf-svc">{svc}</span>
          <span className="wf-op">{name}</span>
          {p.collapsed[i] && kids > 0 ? <span className="wf-count">{t.size[i]}</span> : null}
          {t.error[i] ? <span className="err-dot" title="Error status">!</span> : null}
        </div>
        <div className="wf-track">
          <div className={t.error[i] ? 'bar err' : 'bar'} style={{ left: `${left}%`, width: `${width}%`, background: colorOf(svc) }}>
            {segs?.map((s, k) => (
              <div key={k} className="crit-seg" style={{ left: `${((s.start - t.start[i]!) / (t.dur[i]! || 1)) * 100}%`, width: `${((s.end - s.start) / (t.dur[i]! || 1)) * 100}%` }} />
            ))}
            {Array.from(t.eventTime.subarray(t.eventStart[i]!, t.eventStart[i + 1]!), (et, k) => (
              <div key={`e${k}`} className="event-tick" style={{ left: `${((et - t.start[i]!) / (t.dur[i]! || 1)) * 100}%` }} />
            ))}
          </div>
          <span className={`bar-label ${labelAt}`} style={labelAt === 'right' ? { left: `calc(${left + width}% + 4px)` } : labelAt === 'inside' ? { right: `calc(${Math.max(0, 100 - left - width)}% + 4px)` } : { right: `calc(${100 - left}% + 4px)` }}>
            {fmtDuration(t.dur[i]!)}
          </span>
        </div>
      </div>,
    );
  }
  return (
    <div className="wf-scroll" ref={box} tabIndex={0} role="tree" aria-label="Span timeline" onScroll={(e) => setScroll(e.currentTarget.scrollTop)} onKeyDown={p.onKey}>
      <div className="wf-inner" style={{ height: p.rows.length * ROW }}>
        {items}
      </div>
    </div>
  );
}
