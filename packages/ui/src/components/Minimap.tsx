/** The whole trace in miniature (canvas) with a draggable window that sets the timeline's zoom. */
import { useEffect, useRef } from 'react';
import type { Trace } from '../trace/model.js';
import { colorOf } from '../theme.js';

const H = 56;

export function Minimap(props: { trace: Trace; view: [number, number]; onView(v: [number, number]): void; theme: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const t = props.trace;

  useEffect(() => {
    // Drawn after the rows' first paint (two frames, then a task): the rows matter first.
    let frame = 0, timer = 0;
    frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => (timer = window.setTimeout(draw, 0)))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [t, props.theme]);

  function draw() {
    const c = canvas.current;
    if (!c || !wrap.current) return;
    const w = wrap.current.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    c.width = w * dpr;
    c.height = H * dpr;
    const g = c.getContext('2d')!;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, H);
    const rowH = Math.max(H / t.n, 1);
    const D = t.duration || 1;
    // One path per service, rows in timeline order: a single fill per colour even at 1M spans.
    const paths = t.services.map(() => new Path2D());
    // Past ~20k spans the minimap has far fewer pixels than spans: draw every step-th span, plus
    // every span wide enough to show, so a 1M-span trace draws in a few milliseconds.
    const step = Math.max(1, Math.floor(t.n / 20_000));
    const wide = (D / w) * 2;
    for (let q = 0; q < t.n; q++) {
      const i = t.order[q]!;
      if (step > 1 && q % step !== 0 && t.dur[i]! < wide) continue;
      paths[t.svcIdx[i]!]!.rect((t.start[i]! / D) * w, (q / t.n) * H, Math.max((t.dur[i]! / D) * w, 0.5), rowH);
    }
    paths.forEach((p, k) => {
      g.fillStyle = colorOf(t.services[k]!);
      g.fill(p);
    });
  }

  const drag = (e: React.PointerEvent) => {
    const el = wrap.current!;
    const rect = el.getBoundingClientRect();
    const f = (clientX: number) => Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    const at = f(e.clientX);
    const [v0, v1] = props.view;
    const edge = 6 / rect.width;
    let mode: 'new' | 'move' | 'l' | 'r' = 'new';
    if (Math.abs(at - v0) < edge) mode = 'l';
    else if (Math.abs(at - v1) < edge) mode = 'r';
    else if (at > v0 && at < v1 && (v0 > 0 || v1 < 1)) mode = 'move';
    el.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const now = f(ev.clientX);
      if (mode === 'new') {
        if (Math.abs(now - at) * rect.width < 3) return;
        props.onView([Math.min(at, now), Math.max(at, now)]);
      } else if (mode === 'move') {
        const d = Math.min(1 - v1, Math.max(-v0, now - at));
        props.onView([v0 + d, v1 + d]);
      } else if (mode === 'l') props.onView([Math.min(now, v1 - 0.001), v1]);
      else props.onView([v0, Math.max(now, v0 + 0.001)]);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };

  const [v0, v1] = props.view;
  const zoomed = v0 > 0 || v1 < 1;
  return (
    <div className="minimap" ref={wrap} onPointerDown={drag} onDoubleClick={() => props.onView([0, 1])} title="Drag to zoom the timeline; double-click to reset">
      <canvas ref={canvas} style={{ width: '100%', height: H }} />
      {zoomed && (
        <>
          <div className="mm-shade" style={{ left: 0, width: `${v0 * 100}%` }} />
          <div className="mm-shade" style={{ left: `${v1 * 100}%`, right: 0 }} />
        </>
      )}
      <div className="mm-window" style={{ left: `${v0 * 100}%`, width: `${(v1 - v0) * 100}%` }} />
    </div>
  );
}
