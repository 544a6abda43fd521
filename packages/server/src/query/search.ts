/** Trace search shared by the classic and v3 APIs: ids from the store, then each whole trace. */
import type { Span } from '@skein/model';
import type { TraceQuery, TraceReader } from '../store/store.js';

/**
 * The traces that match, newest first (the store's order), each with every stored span, so a
 * UI that reuses a search result as the trace view shows the whole trace.
 */
export async function findTraces(reader: TraceReader, query: TraceQuery): Promise<Span[][]> {
  const ids = await reader.findTraceIds(query);
  const traces = await Promise.all(ids.map((id) => reader.getTrace(id)));
  // A trace may be purged between the two reads; it is then left out rather than sent empty.
  return traces.filter((t) => t.length > 0);
}

/** Fetches traces by id, keeping the order asked for; missing ids are returned apart. */
export async function getTraces(reader: TraceReader, ids: string[]): Promise<{ found: Span[][]; missing: string[] }> {
  const traces = await Promise.all(ids.map((id) => reader.getTrace(id)));
  const found: Span[][] = [];
  const missing: string[] = [];
  traces.forEach((t, i) => (t.length ? found.push(t) : missing.push(ids[i]!)));
  return { found, missing };
}
