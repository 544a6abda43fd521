/** The forwarder's self-observability: Prometheus text for `/metrics`. */
import type { Forwarder } from './forwarder.js';

type Labels = Record<string, string>;

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

class Text {
  private readonly lines: string[] = [];
  private readonly seen = new Set<string>();

  metric(name: string, type: 'counter' | 'gauge', help: string, value: number, labels?: Labels): void {
    if (!this.seen.has(name)) {
      this.seen.add(name);
      this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    }
    const l = labels ? `{${Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}` : '';
    this.lines.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Extra counters from listeners, e.g. `{ framed_frames_total: 12 }`, exported as `skein_forward_<key>`. */
export type ExtraMetrics = Record<string, number>;

export function renderMetrics(fwd: Forwarder, extra: ExtraMetrics = {}): string {
  const t = new Text();
  const c = fwd.counters;
  const s = fwd.spool;
  t.metric('skein_forward_received_spans_total', 'counter', 'Spans accepted into the spool.', c.receivedSpans);
  t.metric('skein_forward_received_batches_total', 'counter', 'Batches accepted into the spool.', c.receivedBatches);
  t.metric('skein_forward_refused_spans_total', 'counter', 'Spans refused with 503 (spool full under "refuse", or disk failing).', c.refusedSpans);
  t.metric('skein_forward_spool_bytes', 'gauge', 'Bytes in the spool.', s.bytes);
  t.metric('skein_forward_spool_max_bytes', 'gauge', 'The spool bound (--spool-max).', s.opts.maxBytes);
  t.metric('skein_forward_spool_segments', 'gauge', 'Segment files in the spool.', s.segments.length);
  t.metric('skein_forward_spool_dropped_spans_total', 'counter', 'Spans dropped because the spool was full (drop-oldest).', s.counters.droppedSpans);
  t.metric('skein_forward_spool_dropped_segments_total', 'counter', 'Segments dropped because the spool was full.', s.counters.droppedSegments);
  t.metric('skein_forward_spool_disk_errors_total', 'counter', 'Failed writes or fsyncs of the spool.', s.counters.diskErrors);
  t.metric('skein_forward_spool_torn_bytes_total', 'counter', 'Bytes of torn tails cut when the spool was opened.', s.counters.cutBytes);
  t.metric('skein_forward_spool_healthy', 'gauge', '1 while the spool disk works, 0 while it answers 503.', s.healthy ? 1 : 0);
  for (const [name, e] of fwd.destinations) {
    const d = e.delivery;
    const lbl = { destination: name };
    const lag = s.lag(d.cursor);
    t.metric('skein_forward_destination_sent_spans_total', 'counter', 'Spans the destination accepted.', d.stats.sentSpans, lbl);
    t.metric('skein_forward_destination_sent_batches_total', 'counter', 'Requests the destination accepted.', d.stats.sentBatches, lbl);
    t.metric('skein_forward_destination_failed_total', 'counter', 'Failed send attempts.', d.stats.failedAttempts, lbl);
    t.metric('skein_forward_destination_retried_total', 'counter', 'Send attempts that were retried (every failure but a permanent one).', d.stats.failedAttempts, lbl);
    t.metric('skein_forward_destination_dropped_spans_total', 'counter', 'Spans this destination will never get.', d.stats.droppedSpans, { ...lbl, reason: 'rejected' });
    t.metric('skein_forward_destination_dropped_spans_total', 'counter', 'Spans this destination will never get.', d.cursor.droppedSpans, { ...lbl, reason: 'spool_full' });
    t.metric('skein_forward_destination_lag_spans', 'gauge', 'Spooled spans not yet delivered to the destination.', lag.spans, lbl);
    t.metric('skein_forward_destination_lag_seconds', 'gauge', 'Age of the oldest span not yet delivered.', lag.seconds, lbl);
  }
  for (const [k, v] of Object.entries(extra)) t.metric(`skein_forward_${k}`, k.endsWith('_total') ? 'counter' : 'gauge', k.replace(/_/g, ' '), v);
  return t.toString();
}
