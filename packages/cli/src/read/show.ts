/** `skein trace show`: fetch one trace and draw it, or print it as JSON. */
import { serviceName, type Span } from '@skein/model';
import { serverUrl } from '../commands/options.js';
import { fetchTrace } from '../io/fetch-trace.js';
import { terminalWidth, wantColor } from '../view/format.js';
import { buildRows } from '../view/tree.js';
import { writePaged } from '../view/pager.js';
import { renderWaterfall } from '../view/waterfall.js';

export async function showTrace(id: string, o: { server?: string; json?: boolean; width?: number; events?: boolean; color?: boolean }): Promise<void> {
  const spans = await fetchTrace(serverUrl(o.server), id);
  if (o.json) {
    process.stdout.write(JSON.stringify(traceJson(spans), null, 2) + '\n');
    return;
  }
  await writePaged(renderWaterfall(spans, { width: terminalWidth(o.width), color: wantColor(o.color), events: o.events }));
}

/** The tree as plain JSON: ns as strings (exact), attribute values as text. */
export function traceJson(spans: Span[]): unknown {
  const rows = buildRows(spans);
  const text = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);
  return {
    traceId: spans[0]?.traceId,
    spans: rows.map((r) => ({
      spanId: r.span.spanId,
      parentSpanId: r.span.parentSpanId,
      depth: r.depth,
      name: r.span.name,
      service: serviceName(r.span.resource),
      startTimeUnixNano: r.span.startTimeUnixNano.toString(),
      durationNano: (r.span.endTimeUnixNano - r.span.startTimeUnixNano).toString(),
      error: r.span.status.code === 2,
      statusMessage: r.span.status.message,
      critical: r.critical,
      attributes: Object.fromEntries(r.span.attributes.map((a) => [a.key, text(a.value)])),
      events: r.span.events.map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano.toString(), attributes: Object.fromEntries(e.attributes.map((a) => [a.key, text(a.value)])) })),
    })),
  };
}
