/** Trace summaries for `/api/v3/trace-summaries`, computed as Jaeger's query service does. */
import type { Span } from '@skein/model';
import { serviceName } from '@skein/model';

export interface ServiceSummary {
  name: string;
  spanCount: number;
  errorSpanCount: number;
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootOperationName: string;
  /** Decimal ns strings: int64 in proto3 JSON. */
  minStartTimeUnixNano: string;
  maxEndTimeUnixNano: string;
  spanCount: number;
  errorSpanCount: number;
  orphanSpanCount: number;
  services: ServiceSummary[];
}

/**
 * Summarises one trace. The root is the earliest span without a parent; when there is none
 * (the root was not received), the earliest orphan stands in, so the UI still has a name to show.
 * An orphan is a span whose parent is not in the trace.
 */
export function summarizeTrace(spans: Span[]): TraceSummary {
  const ids = new Set<string>();
  for (const s of spans) ids.add(s.spanId);
  const services = new Map<string, ServiceSummary>();
  let root: Span | undefined;
  let orphanRoot: Span | undefined;
  let minStart: bigint | undefined;
  let maxEnd: bigint | undefined;
  let errors = 0;
  let orphans = 0;
  for (const s of spans) {
    const name = serviceName(s.resource);
    let svc = services.get(name);
    if (!svc) services.set(name, (svc = { name, spanCount: 0, errorSpanCount: 0 }));
    svc.spanCount++;
    if (s.status.code === 2) {
      svc.errorSpanCount++;
      errors++;
    }
    if (minStart === undefined || s.startTimeUnixNano < minStart) minStart = s.startTimeUnixNano;
    if (maxEnd === undefined || s.endTimeUnixNano > maxEnd) maxEnd = s.endTimeUnixNano;
    if (!s.parentSpanId) {
      if (!root || s.startTimeUnixNano < root.startTimeUnixNano) root = s;
    } else if (!ids.has(s.parentSpanId)) {
      orphans++;
      if (!orphanRoot || s.startTimeUnixNano < orphanRoot.startTimeUnixNano) orphanRoot = s;
    }
  }
  const head = root ?? orphanRoot;
  return {
    traceId: spans[0]?.traceId ?? '',
    rootServiceName: head ? serviceName(head.resource) : '',
    rootOperationName: head?.name ?? '',
    minStartTimeUnixNano: (minStart ?? 0n).toString(),
    maxEndTimeUnixNano: (maxEnd ?? 0n).toString(),
    spanCount: spans.length,
    errorSpanCount: errors,
    orphanSpanCount: orphans,
    services: [...services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
