/**
 * The trace worker: fetches a trace (compact columns from the Skein API, else OTLP JSON) or
 * parses a file, builds the columnar Trace, answers detail, find, critical path and OTLP export.
 */
import { groupByTrace, parseText } from '../parse/detect.js';
import { toOtlpJson } from '../parse/toOtlp.js';
import { plainSpan } from '../parse/otlpJson.js';
import type { ParsedSpan, Trace } from '../trace/model.js';
import { buildTrace } from '../trace/tree.js';
import { criticalPathSteps } from '../trace/criticalPath.js';
import { findSpans } from './find.js';
import { HttpError, errorOf, fetchCompact } from './compact.js';
import { RemoteTrace } from './remote.js';
import type { CritColumns, Envelope, Loaded, Request } from './protocol.js';

/** Full spans of traces parsed here (files, OTLP JSON), or the server-side handle of compact ones. */
const held = new Map<string, ParsedSpan[] | RemoteTrace>();
let fileCount = 0;

async function spansOf(key: string): Promise<ParsedSpan[]> {
  const h = held.get(key);
  if (!h) throw new HttpError(`${key} is not loaded`, 404);
  return h instanceof RemoteTrace ? h.fullSpans() : h;
}

/** Per trace, the columns the critical path needs, kept here since the page gets the originals. */
const shadows = new Map<string, Trace>();

function load(key: string, trace: Trace): Loaded {
  shadows.set(key, { ...trace, parent: trace.parent.slice(), start: trace.start.slice(), dur: trace.dur.slice(), childStart: trace.childStart.slice(), childList: trace.childList.slice() });
  return { key, trace };
}

/**
 * The critical path as columns; asked for after the first paint so it never delays it, and
 * worked out in slices of ~10 ms so that requests that come meanwhile (a click's detail) wait
 * for one slice, not for the whole path of a million-span trace.
 */
async function crit(key: string): Promise<CritColumns> {
  const t = shadows.get(key);
  if (!t) throw new HttpError(`${key} is not loaded`, 404);
  const walk = criticalPathSteps(t);
  let slice = performance.now();
  let r = walk.next();
  while (!r.done) {
    if (performance.now() - slice > 10) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      slice = performance.now();
    }
    r = walk.next();
  }
  const segs = r.value;
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
      const key = `api:${req.traceId}`;
      const compact = req.compactUrl ? await fetchCompact(req.compactUrl, req.preloaded) : null;
      if (compact) {
        held.set(key, new RemoteTrace(compact, req.url, req.spanUrl ?? ''));
        const loaded = load(key, compact);
        return { body: { traces: [loaded], format: 'otlp-json' }, transfer: transferables(loaded) };
      }
      const res = await fetch(req.url);
      if (!res.ok) throw await errorOf(res);
      const parsed = parseText(await res.text());
      const spans = groupByTrace(parsed.spans).get(req.traceId) ?? [];
      if (spans.length === 0) throw new HttpError(`trace ${req.traceId} was not found`, 404);
      held.set(key, spans);
      const loaded = load(key, buildTrace(spans));
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
        traces.push(load(key, buildTrace(spans)));
      }
      return { body: { traces, format: parsed.format }, transfer: traces.flatMap(transferables) };
    }
    case 'detail': {
      const h = held.get(req.key);
      const span = h instanceof RemoteTrace ? await h.detail(req.index) : h?.[req.index];
      if (!span) throw new HttpError(`span ${req.index} of ${req.key} is not loaded`, 404);
      return { body: { span: plainSpan(span) }, transfer: [] };
    }
    case 'find': {
      const h = held.get(req.key);
      const matches = h instanceof RemoteTrace ? h.mapToIndices(findSpans(await h.fullSpans(), req.query), await h.fullSpans()) : findSpans(h ?? [], req.query);
      return { body: { matches }, transfer: [matches.buffer as ArrayBuffer] };
    }
    case 'crit': {
      const c = await crit(req.key);
      return { body: { crit: c }, transfer: [c.offset.buffer, c.start.buffer, c.end.buffer] as ArrayBuffer[] };
    }
    case 'otlp': {
      const spans = await spansOf(req.key);
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
