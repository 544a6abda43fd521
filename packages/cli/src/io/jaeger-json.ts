/**
 * Jaeger's JSON trace shape (the classic query API and the Jaeger UI's JSON download) to canonical
 * spans, with the model's decoder: spans it cannot read are skipped and counted, not fatal.
 */
import { DecodeError, decodeJaegerJson, type Span } from '@skein/model';

export interface JTrace {
  traceID?: string;
  spans: unknown[];
  processes?: Record<string, unknown>;
}

/** Spans of one Jaeger JSON trace; spans with unusable ids, times or processes are skipped and counted. */
export function jaegerTraceToSpans(trace: JTrace): { spans: Span[]; skipped: number } {
  // A trace with no span list holds nothing to show (the query API never sends one).
  if (!Array.isArray(trace?.spans)) return { spans: [], skipped: 0 };
  let skipped = 0;
  try {
    const spans = decodeJaegerJson(trace, { onBadSpan: () => skipped++ });
    return { spans, skipped };
  } catch (e) {
    // A fault outside the spans (an unreadable process) loses the whole trace, not the command.
    if (e instanceof DecodeError) return { spans: [], skipped: trace.spans.length };
    throw e;
  }
}
