/** Flame graph of the trace on a canvas: x is time, y is depth; click a frame to select and zoom to it. */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Trace } from '../trace/model.js';
import type { CritColumns } from '../worker/protocol.js';
import { critOf } from '../worker/protocol.js';
import { colorOf } from '../theme.js';
import { fmtDuration } from '../trace/format.js';
import { flameLayout } from '../trace/flame.js';

const FH = 20;

export function FlameGraph(props: { trace: Trace; view: [number, number]; selected: number; highlight: Uint8Array | null; crit: CritColumns | null; onSelect(i: number): void; onView(v: [number, number]): void; theme: string }) {
  const t = props.trace;
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState(-1);
  const layout = useMemo(() => flameLayout(t), [t]);
  const height = layout.rows * FH;

  useLayoutEffect(() => {
    const el = wrap.current!;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const [v0, v1] = props.view;
  const D = t.duration || 1;
  const scale = width / ((v1 - v0) * D);
  const x = (ns: number) => (ns - v0 * D) * scale;

  useEffect(() => {
    const c = canvas.current!;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    const g = c.getContext('2d')!;
    g.scale(dpr, dpr);
    const style = getComputedStyle(document.documentElement);
    const fg = style.getPropertyValue('--flame-text').trim() || '#111';
    const critColor = style.getPropertyValue('--crit').trim() || 'rgba(0,0,0,0.5)';
    g.font = '12px system-ui, sans-serif';
    g.textBaseline = 'middle';
    const colors = t.services.map((s) => colorOf(s));
    const dim = t.services.map((s) => colorOf(s, 0.25));
    for (let i = 0; i < t.n; i++) {
      const x0 = x(t.start[i]!), w = t.dur[i]! * scale;
      if (x0 > width || x0 + w < 0 || w < 0.3) continue;
      const y = layout.row[i]! * FH;
      const off = props.highlight && !props.highlight[i];
      g.fillStyle = off ? dim[t.svcIdx[i]!]! : colors[t.svcIdx[i]!]!;
      g.fillRect(x0, y, Math.max(w - 0.5, 0.5), FH - 1);
      if (t.error[i]) {
        g.fillStyle = '#d93025';
        g.fillRect(x0, y + FH - 4, Math.max(w - 0.5, 0.5), 3);
      }
      const segs = props.crit ? critOf(props.crit, i) : undefined;
      if (segs) {
        g.fillStyle = critColor;
        for (const sg of segs) g.fillRect(x(sg.start), y + 1, Math.max((sg.end - sg.start) * scale, 1), 3);
      }
      if (i === props.selected) {
        g.strokeStyle = fg;
        g.lineWidth = 2;
        g.strokeRect(x0 + 1, y + 1, Math.max(w - 2, 1), FH - 3);
      }
      if (w > 36) {
        const label = t.names[t.nameIdx[i]!]!;
        const lx = Math.max(x0, 0) + 4;
        g.save();
        g.beginPath();
        g.rect(lx, y, Math.min(x0 + w, width) - lx - 2, FH);
        g.clip();
        g.fillStyle = '#0d1020';
        g.fillText(label, lx, y + FH / 2);
        g.restore();
      }
    }
    // Hover changes only the caption: do not redraw the canvas for it.
  }, [t, layout, width, height, v0, v1, props.selected, props.highlight, props.crit, props.theme, D, scale]);

  const hit = (e: React.MouseEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    const px = e.clientX - r.left, rowAt = Math.floor((e.clientY - r.top) / FH);
    const ns = px / scale + v0 * D;
    let best = -1;
    for (let i = 0; i < t.n; i++) {
      if (layout.row[i] !== rowAt || t.start[i]! > ns || t.start[i]! + t.dur[i]! < ns) continue;
      if (best < 0 || t.dur[i]! < t.dur[best]!) best = i;
    }
    return best;
  };

  return (
    <div className="flame" ref={wrap}>
      <div className="flame-tip">
        {hover >= 0 ? (
          <span>
            <b>{t.services[t.svcIdx[hover]!]}</b> {t.names[t.nameIdx[hover]!]} · {fmtDuration(t.dur[hover]!)} ({((t.dur[hover]! / D) * 100).toFixed(1)}% of trace)
          </span>
        ) : (
          <span className="muted">Click a frame to select it and zoom to it; double-click to zoom out.</span>
        )}
      </div>
      <canvas
        ref={canvas}
        style={{ width, height, display: 'block' }}
        onMouseMove={(e) => setHover(hit(e))}
        onMouseLeave={() => setHover(-1)}
        onClick={(e) => {
          const i = hit(e);
          if (i < 0) return;
          props.onSelect(i);
          if (t.dur[i]! > 0) props.onView([t.start[i]! / D, (t.start[i]! + t.dur[i]!) / D]);
        }}
        onDoubleClick={() => props.onView([0, 1])}
      />
    </div>
  );
}
