/** Loads a trace (from the API through the worker, or from an opened file) with loading/error state. */
import { useEffect, useState } from 'react';
import type { WorkerError } from '../worker/client.js';
import { fetchTraceOnce, openedFiles } from '../worker/client.js';
import type { Loaded } from '../worker/protocol.js';
import { traceUrls } from '../api/client.js';

export type TraceState =
  | { kind: 'loading' }
  | { kind: 'error'; status?: number; message: string }
  | { kind: 'ready'; loaded: Loaded; fromFile: boolean };

/** A trace id as the API wants it: 32 lowercase hex digits (16-digit ids are left-padded). */
export function normTraceId(id: string): string | null {
  const v = id.trim().toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(v)) return null;
  return v.padStart(32, '0');
}

export function useTrace(rawId: string, fromFile: boolean): TraceState {
  const [state, setState] = useState<TraceState>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    const id = normTraceId(rawId);
    if (!id) {
      setState({ kind: 'error', status: 400, message: `"${rawId}" is not a trace ID: expected 16 or 32 hex digits` });
      return;
    }
    const file = openedFiles.get(id);
    if (fromFile || file) {
      if (file) setState({ kind: 'ready', loaded: file, fromFile: true });
      else setState({ kind: 'error', status: 404, message: `trace ${id} is not in an opened file (opened files are forgotten when the page reloads)` });
      return;
    }
    setState({ kind: 'loading' });
    fetchTraceOnce(traceUrls(id), id).then(
      (r) => live && setState({ kind: 'ready', loaded: r.traces[0]!, fromFile: false }),
      (e: WorkerError) => {
        if (!live) return;
        const offline = e.message === 'Failed to fetch' || /NetworkError|fetch/i.test(e.message);
        setState({ kind: 'error', status: e.status, message: offline ? 'Cannot reach the Skein server. Is `skein serve` running?' : e.message });
      },
    );
    return () => {
      live = false;
    };
  }, [rawId, fromFile]);
  return state;
}
