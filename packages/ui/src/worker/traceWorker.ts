/** The trace worker: fetches and parses trace JSON, builds the columnar Trace, answers detail and find. */
import { groupByTrace, parseText } from '../parse/detect.js';
import { toOtlpJson } from '../parse/toOtlp.js';
import { plainSpan } from '../parse/otlpJson.js';
import type { ParsedSpan, Trace } from '../trace/model.js';
import { buildTrace } from '../trace/tree.js';
import { criticalPath } from '../trace/criticalPath.js';
import { findSpans } from './find.js';
import type { CritColumns, Envelope, Loaded, Request } from './protocol.js';

const held = new Map<string, ParsedSpan[]>();
let fileCount = 0;

class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** Per trace, the columns the critical path needs, kept here since the page gets the originals. */
const shadows = new Map<string, Trace>();

function load(key: string, spans: ParsedSpan[]): Loaded {
  const trace = buildTrace(spans);
  shadows.set(key, { ...trace, parent: trace.parent.slice(), start: trace.start.slice(), dur: trace.dur.slice(), childStart: trace.childStart.slice(), childList: trace.childList.slice() });
  return { key, trace };
}

/** The critical path as columns; asked for after the first paint so it never delays it. */
function crit(key: string): CritColumns {
  const t = shadows.get(key);
  if (!t) throw new HttpError(`${key} is not loaded`, 404);
  const segs = criticalPath(t);
  const offset = new Int32Array(t.n + 1);
  for (const sg of segs) offset[sg.span + 1]!++;
  for (let i = 0; i < t.n; i++) offset[i + 1]! += offset[i]!;
  const fill = offset.slice(0, t.n);
  const c = { offset, start: new Float64Array(segs.length), end: new Float64Array(segs.length) };
  for (const sg of segs) {
    const k = fill[sg.span]!++;
    c.start[k] = sg.start;
    c.end[k] = sg.end;
  }
  return c;
}

function transferables(l: Loaded): ArrayBuffer[] {
  const t = l.trace;
  return [t.parent, t.start, t.dur, t.nameIdx, t.svcIdx, t.kind, t.error, t.depth, t.order, t.pos, t.size, t.childStart, t.childList, t.eventStart, t.eventTime].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

async function handle(req: Request): Promise<{ body: unknown; transfer: ArrayBuffer[] }> {
  switch (req.type) {
    case 'fetch': {
      const res = await fetch(req.url);
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        let msg = text.slice(0, 300);
        try {
          const j = JSON.parse(text) as { error?: { message?: string } | string; errors?: { msg?: string }[]; message?: string };
          msg = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.errors?.[0]?.msg ?? j.message ?? msg;
        } catch {
          /* the body was not JSON: keep its text */
        }
        throw new HttpError(msg || `HTTP ${res.status}`, res.status);
      }
      const parsed = parseText(await res.text());
      const spans = groupByTrace(parsed.spans).get(req.traceId) ?? [];
      if (spans.length === 0) throw new HttpError(`trace ${req.traceId} was not found`, 404);
      const key = `api:${req.traceId}`;
      held.set(key, spans);
      const loaded = load(key, spans);
      return { body: { traces: [loaded], format: parsed.format }, transfer: transferables(loaded) };
    }
    case 'text': {
      const parsed = parseText(req.text);
      if (parsed.spans.length === 0) throw new Error('the file holds no spans');
      const file = ++fileCount;
      const traces: Loaded[] = [];
      for (const [id, spans] of groupByTrace(parsed.spans)) {
        const key = `file${file}:${id}`;
        held.set(key, spans);
        traces.push(load(key, spans));
      }
      return { body: { traces, format: parsed.format }, transfer: traces.flatMap(transferables) };
    }
    case 'detail': {
      const span = held.get(req.key)?.[req.index];
      if (!span) throw new HttpError(`span ${req.index} of ${req.key} is not loaded`, 404);
      return { body: { span: plainSpan(span) }, transfer: [] };
    }
    case 'find': {
      const matches = findSpans(held.get(req.key) ?? [], req.query);
      return { body: { matches }, transfer: [matches.buffer as ArrayBuffer] };
    }
    case 'crit': {
      const c = crit(req.key);
      return { body: { crit: c }, transfer: [c.offset.buffer, c.start.buffer, c.end.buffer] as ArrayBuffer[] };
    }
    case 'otlp': {
      const spans = held.get(req.key);
      if (!spans) throw new HttpError(`${req.key} is not loaded`, 404);
      return { body: { json: JSON.stringify(toOtlpJson(spans), null, 2) }, transfer: [] };
    }
  }
}

self.onmessage = (e: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = e.data;
  handle(req).then(
    ({ body, transfer }) => (self as unknown as Worker).postMessage({ id, ok: true, body } satisfies Envelope<unknown>, transfer),
    (err: unknown) =>
      (self as unknown as Worker).postMessage({
        id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        status: err instanceof HttpError ? err.status : undefined,
      } satisfies Envelope<unknown>),
  );
};
