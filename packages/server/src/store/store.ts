/**
 * The storage contract. Every store (memory, duckdb, clickhouse) implements it and runs the
 * shared conformance suite in `store/conformance.ts`.
 */
import type { Span } from '@skein/model';

export interface TraceQuery {
  service?: string;
  operation?: string;
  /** Span kind name as Jaeger writes it ('server', 'client', ...); matched with operation. */
  spanKind?: string;
  /** Every pair must match one span of the trace (attribute of span or resource, or name-level fields). */
  attributes?: Record<string, string>;
  /** Inclusive bounds on a matching span's start time, ns since the epoch. */
  startTimeMinNs?: bigint;
  startTimeMaxNs?: bigint;
  /** Bounds on a matching span's duration, ns. */
  durationMinNs?: bigint;
  durationMaxNs?: bigint;
  /** Number of traces to return, newest first (by the latest start of a matching span). */
  limit: number;
}

export interface Operation {
  name: string;
  /** Lowercase span kind ('server', 'client', 'producer', 'consumer', 'internal') or ''. */
  spanKind: string;
}

export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
}

/** A RED (rate, errors, duration) aggregate over one service's spans, bucketed in time. */
export interface RedQuery {
  service: string;
  /** Lowercase span kinds to include ('server', 'client', ...); empty or absent means all. */
  spanKinds?: string[];
  /** Spans that started in [startNs, endNs]. */
  startNs: bigint;
  endNs: bigint;
  /** Bucket width; buckets start at startNs + k * stepNs. */
  stepNs: bigint;
  /** One series per operation (span name) instead of one for the service. */
  groupByOperation?: boolean;
  /** Latency quantiles wanted, each in [0, 1] (linear interpolation between ranks). */
  quantiles?: number[];
}

export interface RedPoint {
  /** The span name when grouped by operation, else ''. */
  operation: string;
  bucketStartNs: bigint;
  calls: number;
  errors: number;
  /** Duration quantiles in ns, in the order of RedQuery.quantiles. */
  latencyNs: number[];
}

/** Ascending order; strings by UTF-16 code units, as every store sorts names and ids. */
export const ascending = <T extends string | bigint>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** Operations in the order every store lists them: by name, then span kind. */
export const operationOrder = (a: Operation, b: Operation): number => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind);

/** RED points in the order every store returns them: by operation, then bucket. */
export const redPointOrder = (a: RedPoint, b: RedPoint): number => ascending(a.operation, b.operation) || ascending(a.bucketStartNs, b.bucketStartNs);

/** Refuses a RED query whose step or quantiles no store can use, naming the value. */
export function checkRedQuery(q: RedQuery): void {
  if (q.stepNs <= 0n) throw new Error(`RED step must be positive, got ${q.stepNs} ns`);
  for (const x of q.quantiles ?? []) if (!(x >= 0 && x <= 1)) throw new Error(`RED quantile ${x} is not in [0, 1]`);
}

export interface StoreStats {
  spans: number;
  bytes: number;
}

export interface TraceWriter {
  /**
   * Stores spans. Resolves only once they are durable (they survive kill -9 the next moment)
   * and visible to readers within one second. Idempotent: an exact duplicate of a stored
   * span (same trace id, span id and content) is not stored twice.
   */
  write(spans: Span[]): Promise<void>;
  /** Optional: stores an OTLP/protobuf request as write() would, or resolves false to be given its spans (Consumer.consumeOtlpProto). */
  writeOtlpProto?(body: Uint8Array): Promise<boolean>;
}

export interface TraceReader {
  /** Every stored span of the trace, or [] when none. */
  getTrace(traceId: string): Promise<Span[]>;
  getServices(): Promise<string[]>;
  getOperations(service: string, spanKind?: string): Promise<Operation[]>;
  /** Ids of the traces that match, newest first, at most query.limit of them. */
  findTraceIds(query: TraceQuery): Promise<string[]>;
  /** Service-to-service call counts over spans that started in [startNs, endNs]. */
  getDependencies(startNs: bigint, endNs: bigint): Promise<DependencyLink[]>;
}

export interface Store extends TraceWriter, TraceReader {
  /** Deletes spans older than the cutoff; returns how many went. */
  purgeBefore(cutoffNs: bigint): Promise<number>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
  /** Optional: RED metrics for Jaeger's Monitor tab; points sorted by operation, then bucket. */
  getRedMetrics?(query: RedQuery): Promise<RedPoint[]>;
}
