/** An in-memory store: the reference implementation of the Store contract, and `--memory`. */
import type { Span } from '@skein/model';
import { serviceName } from '@skein/model';
import { spanKindName, spanMatches } from '../match.js';
import { spanFingerprint } from '../fingerprint.js';
import { checkRedQuery, operationOrder } from '../store.js';
import type { DependencyLink, Operation, RedPoint, RedQuery, Store, StoreStats, TraceQuery } from '../store.js';

export class MemoryStore implements Store {
  private readonly traces = new Map<string, Map<string, Span[]>>();
  private readonly seen = new Set<string>();
  private count = 0;

  async write(spans: Span[]): Promise<void> {
    for (const span of spans) {
      const fp = spanFingerprint(span);
      if (this.seen.has(fp)) continue;
      this.seen.add(fp);
      let trace = this.traces.get(span.traceId);
      if (!trace) this.traces.set(span.traceId, (trace = new Map()));
      const same = trace.get(span.spanId);
      if (same) same.push(span);
      else trace.set(span.spanId, [span]);
      this.count++;
    }
  }

  async getTrace(traceId: string): Promise<Span[]> {
    const trace = this.traces.get(traceId);
    return trace ? [...trace.values()].flat() : [];
  }

  async getServices(): Promise<string[]> {
    const names = new Set<string>();
    for (const span of this.allSpans()) names.add(serviceName(span.resource));
    return [...names].sort();
  }

  async getOperations(service: string, spanKind?: string): Promise<Operation[]> {
    const ops = new Map<string, Operation>();
    for (const span of this.allSpans()) {
      if (serviceName(span.resource) !== service) continue;
      const kind = spanKindName(span.kind);
      if (spanKind && kind !== spanKind) continue;
      ops.set(`${span.name}\0${kind}`, { name: span.name, spanKind: kind });
    }
    return [...ops.values()].sort(operationOrder);
  }

  async findTraceIds(query: TraceQuery): Promise<string[]> {
    const newest = new Map<string, bigint>();
    for (const span of this.allSpans()) {
      if (!spanMatches(query, span)) continue;
      const t = newest.get(span.traceId);
      if (t === undefined || span.startTimeUnixNano > t) newest.set(span.traceId, span.startTimeUnixNano);
    }
    return [...newest.entries()]
      .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : a[0].localeCompare(b[0])))
      .slice(0, query.limit)
      .map(([id]) => id);
  }

  async getDependencies(startNs: bigint, endNs: bigint): Promise<DependencyLink[]> {
    return dependenciesOf(this.allSpans(), startNs, endNs);
  }

  async getRedMetrics(query: RedQuery): Promise<RedPoint[]> {
    return redPointsOf(this.allSpans(), query);
  }

  async purgeBefore(cutoffNs: bigint): Promise<number> {
    let purged = 0;
    for (const [traceId, trace] of this.traces) {
      for (const [spanId, versions] of trace) {
        const keep = versions.filter((s) => s.startTimeUnixNano >= cutoffNs);
        purged += versions.length - keep.length;
        for (const s of versions) if (s.startTimeUnixNano < cutoffNs) this.seen.delete(spanFingerprint(s));
        if (keep.length) trace.set(spanId, keep);
        else trace.delete(spanId);
      }
      if (trace.size === 0) this.traces.delete(traceId);
    }
    this.count -= purged;
    return purged;
  }

  async stats(): Promise<StoreStats> {
    return { spans: this.count, bytes: 0 };
  }

  async close(): Promise<void> {}

  private *allSpans(): Iterable<Span> {
    for (const trace of this.traces.values()) for (const versions of trace.values()) yield* versions;
  }
}

/**
 * Service call edges: a span whose parent is in another service is one call parent -> child;
 * it is an error call when the child span has error status.
 */
export function dependenciesOf(spans: Iterable<Span>, startNs: bigint, endNs: bigint): DependencyLink[] {
  const byId = new Map<string, Span>();
  const all: Span[] = [];
  for (const s of spans) {
    if (s.startTimeUnixNano < startNs || s.startTimeUnixNano > endNs) continue;
    byId.set(`${s.traceId}:${s.spanId}`, s);
    all.push(s);
  }
  const links = new Map<string, DependencyLink>();
  for (const s of all) {
    if (!s.parentSpanId) continue;
    const parent = byId.get(`${s.traceId}:${s.parentSpanId}`);
    if (!parent) continue;
    const from = serviceName(parent.resource);
    const to = serviceName(s.resource);
    if (from === to) continue;
    const key = `${from}\0${to}`;
    let link = links.get(key);
    if (!link) links.set(key, (link = { parent: from, child: to, callCount: 0, errorCount: 0 }));
    link.callCount++;
    if (s.status.code === 2) link.errorCount++;
  }
  return [...links.values()];
}

/** Linear interpolation between closest ranks (DuckDB's quantile_cont) over sorted values. */
function quantileOf(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** RED aggregates of one service's spans per (operation, bucket), as RedQuery describes. */
export function redPointsOf(spans: Iterable<Span>, q: RedQuery): RedPoint[] {
  checkRedQuery(q);
  const kinds = q.spanKinds?.length ? new Set(q.spanKinds) : undefined;
  const groups = new Map<string, { operation: string; bucket: bigint; errors: number; durations: number[] }>();
  for (const s of spans) {
    if (s.startTimeUnixNano < q.startNs || s.startTimeUnixNano > q.endNs) continue;
    if (kinds && !kinds.has(spanKindName(s.kind))) continue;
    if (serviceName(s.resource) !== q.service) continue;
    const operation = q.groupByOperation ? s.name : '';
    const bucket = (s.startTimeUnixNano - q.startNs) / q.stepNs;
    const key = `${operation}\0${bucket}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { operation, bucket, errors: 0, durations: [] }));
    g.durations.push(Number(s.endTimeUnixNano - s.startTimeUnixNano));
    if (s.status.code === 2) g.errors++;
  }
  return [...groups.values()]
    .sort((a, b) => (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0))
    .map((g) => {
      const sorted = q.quantiles?.length ? g.durations.sort((x, y) => x - y) : [];
      return {
        operation: g.operation,
        bucketStartNs: q.startNs + g.bucket * q.stepNs,
        calls: g.durations.length,
        errors: g.errors,
        latencyNs: (q.quantiles ?? []).map((x) => quantileOf(sorted, x)),
      };
    });
}
