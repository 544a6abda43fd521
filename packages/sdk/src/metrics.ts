/** In-process span metrics: counts and duration histograms per span name and status, as Prometheus text. */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Upper bounds in seconds. */
const BOUNDS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BOUNDS_MS = BOUNDS.map((b) => b * 1000);
const STATUS = ['unset', 'ok', 'error'];

interface Stats {
  count: number;
  sumMs: number;
  buckets: Float64Array;
}

/** Extra counters (queue, exports) that the SDK adds to the text. */
export type CounterSource = () => Record<string, number>;

export class SpanMetrics {
  /** name -> [unset, ok, error] */
  private readonly byName = new Map<string, (Stats | undefined)[]>();
  private readonly sources: CounterSource[] = [];
  /** Bounds memory when span names are unbounded (ids in names): later names fold into one. */
  maxNames = 2000;

  /** One-entry cache: spans of one name tend to end in runs, and a Map lookup costs more than a compare. */
  private lastName = '';
  private lastRow: (Stats | undefined)[] | null = null;

  record(name: string, status: number, durationMs: number): void {
    let row = this.lastRow;
    if (name !== this.lastName || row === null) {
      row = this.byName.get(name) ?? null;
      if (row === null) {
        if (this.byName.size >= this.maxNames && name !== '_other') return this.record('_other', status, durationMs);
        row = [undefined, undefined, undefined];
        this.byName.set(name, row);
      }
      this.lastName = name;
      this.lastRow = row;
    }
    let s = row[status];
    if (s === undefined) row[status] = s = { count: 0, sumMs: 0, buckets: new Float64Array(BOUNDS.length) };
    s.count++;
    s.sumMs += durationMs;
    const b = s.buckets;
    for (let i = 0; i < BOUNDS_MS.length; i++) {
      if (durationMs <= BOUNDS_MS[i]!) {
        b[i]!++;
        break;
      }
    }
  }

  addSource(src: CounterSource): void {
    this.sources.push(src);
  }

  /** Count of spans recorded under a name and status ('unset' | 'ok' | 'error'). */
  count(name: string, status = 'unset'): number {
    return this.byName.get(name)?.[STATUS.indexOf(status)]?.count ?? 0;
  }

  /** Prometheus text exposition format, version 0.0.4. */
  prometheus(): string {
    const out: string[] = [
      '# HELP skein_span_duration_seconds Duration of ended spans by name and status (sampled or not).',
      '# TYPE skein_span_duration_seconds histogram',
    ];
    for (const [name, row] of this.byName) {
      for (let st = 0; st < 3; st++) {
        const s = row[st];
        if (!s) continue;
        const labels = `span_name="${escape(name)}",status="${STATUS[st]}"`;
        let cum = 0;
        for (let i = 0; i < BOUNDS.length; i++) {
          cum += s.buckets[i]!;
          out.push(`skein_span_duration_seconds_bucket{${labels},le="${BOUNDS[i]}"} ${cum}`);
        }
        out.push(`skein_span_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
        out.push(`skein_span_duration_seconds_sum{${labels}} ${s.sumMs / 1000}`);
        out.push(`skein_span_duration_seconds_count{${labels}} ${s.count}`);
      }
    }
    for (const src of this.sources) {
      for (const [k, v] of Object.entries(src())) {
        out.push(`# TYPE ${k} ${k.endsWith('_total') ? 'counter' : 'gauge'}`, `${k} ${v}`);
      }
    }
    return out.join('\n') + '\n';
  }

  /** A node:http handler answering with the text (mount it at /metrics). */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return (_req, res) => {
      const body = this.prometheus();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(body);
    };
  }
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
