/** The page's side of the trace worker: one shared worker, promise-returning requests. */
import type { Format } from '../parse/detect.js';
import type { ParsedSpan } from '../trace/model.js';
import type { CritColumns, Envelope, Loaded, Preloaded, Request } from './protocol.js';
import type { TraceUrls } from '../api/client.js';

export class WorkerError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function get(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./traceWorker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<Envelope<unknown>>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.ok) p.resolve(e.data.body);
    else p.reject(new WorkerError(e.data.error ?? 'worker failed', e.data.status));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new WorkerError(e.message || 'the trace worker crashed'));
    pending.clear();
  };
  return worker;
}

function call<T>(req: Request, transfer: Transferable[] = []): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    get().postMessage({ id, req }, transfer);
  });
}

export const traceWorker = {
  fetchTrace: (urls: TraceUrls, traceId: string, preloaded?: Preloaded) =>
    call<{ traces: Loaded[]; format: Format }>(
      { type: 'fetch', url: urls.otlp, compactUrl: urls.compact, spanUrl: urls.span, traceId, preloaded },
      preloaded ? [preloaded.bytes] : [],
    ),
  parseFile: (text: string) => call<{ traces: Loaded[]; format: Format }>({ type: 'text', text }),
  detail: (key: string, index: number) => call<{ span: ParsedSpan }>({ type: 'detail', key, index }).then((r) => r.span),
  find: (key: string, query: string) => call<{ matches: Int32Array }>({ type: 'find', key, query }).then((r) => r.matches),
  crit: (key: string) => call<{ crit: CritColumns }>({ type: 'crit', key }).then((r) => r.crit),
  otlp: (key: string) => call<{ json: string }>({ type: 'otlp', key }).then((r) => r.json),
};

/** Traces opened from files stay here (by trace id) so the trace page can show them. */
export const openedFiles = new Map<string, Loaded>();

const prefetched = new Map<string, Promise<{ traces: Loaded[]; format: Format }>>();

/**
 * Starts loading a trace before the app has rendered (a deep link's trace downloads and parses
 * while the page boots). The first fetchTraceOnce for that id takes the result.
 */
export function prefetchTrace(urls: TraceUrls, traceId: string, early?: Promise<Response>): void {
  // The worker starts at once; the early answer (index.html's fetch) follows when its body is in.
  get();
  const p = early
    ? early
        .then(async (res): Promise<Preloaded> => ({ status: res.status, type: res.headers.get('content-type') ?? '', skein: res.headers.get('x-skein-api') === '1', bytes: await res.arrayBuffer() }))
        .then((pre) => traceWorker.fetchTrace(urls, traceId, pre), () => traceWorker.fetchTrace(urls, traceId))
    : traceWorker.fetchTrace(urls, traceId);
  p.catch(() => undefined); // the taker reports the error
  prefetched.set(traceId, p);
}

export function fetchTraceOnce(urls: TraceUrls, traceId: string): Promise<{ traces: Loaded[]; format: Format }> {
  const p = prefetched.get(traceId);
  prefetched.delete(traceId);
  return p ?? traceWorker.fetchTrace(urls, traceId);
}
