/**
 * SQL for the DuckDB store's reads: the search rules of match.ts translated to conditions on
 * one span row, and span rows turned back into canonical Spans.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Span, SpanKind, StatusCode } from '@skein/model';
import { checkRedQuery } from '../store.js';
import type { RedQuery, TraceQuery } from '../store.js';
import { attributePatterns, decodeAttributes, decodeExtra } from './codec.js';
import type { Interner } from './interner.js';

const KINDS = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];

/** Columns read to rebuild a span, in rowToSpan's order. */
export const SPAN_SELECT =
  'trace_id, span_id, parent_id, start_ns, dur_ns, op, name, kind, status, status_msg, flags, res_id, scope_id, attrs, extra';

/** A span's name from its `op` and `name` columns (schema.ts). */
export const spanName = (op: DuckDBValue, name: DuckDBValue, interner: Interner): string =>
  op === null ? (name as string) : interner.names.textOf(Number(op));

export const hexToInt = (hex: string): string => BigInt('0x' + hex).toString();
const intToHex = (v: DuckDBValue, digits: number): string => (v as bigint).toString(16).padStart(digits, '0');

export function rowToSpan(row: DuckDBValue[], interner: Interner): Span {
  const [traceId, spanId, parentId, start, dur, op, name, kind, status, statusMsg, flags, resId, scopeId, attrs, extra] = row;
  const resource = interner.resources.get(Number(resId));
  const scope = interner.scopes.get(Number(scopeId));
  if (!resource || !scope) throw new Error(`corrupt store: span refers to unknown resource ${resId} or scope ${scopeId}`);
  const x = decodeExtra(extra as string | null);
  const startNs = start as bigint;
  return {
    traceId: intToHex(traceId!, 32),
    spanId: intToHex(spanId!, 16),
    parentSpanId: parentId === null ? '' : intToHex(parentId!, 16),
    traceState: x.traceState,
    flags: Number(flags),
    name: spanName(op!, name!, interner),
    kind: Number(kind) as SpanKind,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + (dur as bigint),
    attributes: decodeAttributes(attrs as string, interner.keys),
    droppedAttributesCount: x.droppedAttributesCount,
    events: x.events,
    droppedEventsCount: x.droppedEventsCount,
    links: x.links,
    droppedLinksCount: x.droppedLinksCount,
    status: { code: Number(status) as StatusCode, message: statusMsg as string },
    resource: resource.resource,
    scope: scope.scope,
  };
}

export interface Sql {
  /** A WHERE clause. */
  where: string;
  params: DuckDBValue[];
}

/** The WHERE clause (conditions on one span) of a trace search. */
export function searchConditions(q: TraceQuery, interner: Interner): Sql {
  const conds: string[] = [];
  const params: DuckDBValue[] = [];
  const param = (v: DuckDBValue): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const int = (v: bigint): string => BigInt.asIntN(64, v) === v ? v.toString() : v < 0n ? '-9223372036854775808' : '9223372036854775807';
  if (q.service !== undefined) conds.push(serviceCond(q.service, interner));
  if (q.operation !== undefined) {
    const op = interner.names.known(q.operation);
    conds.push(op === undefined ? `name = ${param(q.operation)}` : `op = ${op}`);
  }
  if (q.spanKind !== undefined && q.spanKind !== '') conds.push(kindCond(q.spanKind));
  if (q.startTimeMinNs !== undefined) conds.push(`start_ns >= ${int(q.startTimeMinNs)}`);
  if (q.startTimeMaxNs !== undefined) conds.push(`start_ns <= ${int(q.startTimeMaxNs)}`);
  if (q.durationMinNs !== undefined) conds.push(`dur_ns >= ${int(q.durationMinNs)}`);
  if (q.durationMaxNs !== undefined) conds.push(`dur_ns <= ${int(q.durationMaxNs)}`);
  for (const [key, want] of Object.entries(q.attributes ?? {})) {
    if (key === 'error') conds.push(want === 'true' ? 'status = 2' : 'status <> 2');
    else if (key === 'span.kind') conds.push(kindCond(want));
    else if (key === 'otel.status_code') {
      const i = STATUS_CODES.indexOf(want);
      conds.push(i < 0 ? 'false' : `status = ${i}`);
    } else if (key === 'otel.status_description') conds.push(`status_msg = ${param(want)}`);
    else {
      const inSpan = attributePatterns(key, want, interner.keys).map((p) => `contains(attrs, ${param(p)})`);
      const resIds = interner.resourcesMatching(attributePatterns(key, want));
      const inRes = resIds.length ? ` OR res_id IN (${resIds.join(',')})` : '';
      conds.push(`(${inSpan.join(' OR ')}${inRes})`);
    }
  }
  return { where: conds.length ? conds.join(' AND ') : 'true', params };
}

/** A service no span has named cannot match. */
export function serviceCond(service: string, interner: Interner): string {
  const svc = interner.names.known(service);
  return svc === undefined ? 'false' : `svc = ${svc}`;
}

function kindCond(name: string): string {
  const i = KINDS.indexOf(name);
  return i < 0 ? 'false' : `kind = ${i}`;
}

/**
 * The aggregate behind getRedMetrics: calls, errors and duration quantiles per bucket, over the
 * spans that started in [fromNs, toNs] (a run of whole buckets of the query, so that several
 * such statements can share a query's work and each bucket is still computed exactly once).
 */
export function redSql(q: RedQuery, interner: Interner, fromNs = q.startNs, toNs = q.endNs): string {
  checkRedQuery(q);
  const kinds = (q.spanKinds ?? []).map((k) => KINDS.indexOf(k)).filter((i) => i >= 0);
  const kindCond = q.spanKinds?.length ? ` AND kind IN (${kinds.length ? kinds.join(',') : 'NULL'})` : '';
  const quantiles = q.quantiles?.length ? `quantile_cont(dur_ns, [${q.quantiles.join(',')}])` : 'NULL';
  return `SELECT ${q.groupByOperation ? 'op, name' : 'NULL, NULL'}, (start_ns - ${q.startNs}) // ${q.stepNs} AS bucket,
      count(*), count(*) FILTER (WHERE status = 2), ${quantiles}
    FROM spans WHERE ${serviceCond(q.service, interner)} AND start_ns BETWEEN ${fromNs} AND ${toNs}${kindCond}
    GROUP BY ALL`;
}

/**
 * Splits a RED query's buckets into at most `parts` runs of whole buckets, as [from, to] ns
 * ranges covering [startNs, endNs].
 */
export function redParts(q: RedQuery, parts: number): Array<[bigint, bigint]> {
  if (q.endNs < q.startNs) return [[q.startNs, q.endNs]];
  const buckets = (q.endNs - q.startNs) / q.stepNs + 1n;
  const wanted = BigInt(Math.max(1, parts));
  const n = wanted < buckets ? wanted : buckets;
  const out: Array<[bigint, bigint]> = [];
  for (let i = 0n; i < n; i++) {
    const from = q.startNs + ((buckets * i) / n) * q.stepNs;
    const to = i === n - 1n ? q.endNs : q.startNs + ((buckets * (i + 1n)) / n) * q.stepNs - 1n;
    out.push([from, to]);
  }
  return out;
}

/**
 * Caller/callee service pairs with call and error counts, for the traces whose id hashes to
 * `part` of `parts` (a parent and its children share a trace, so the parts add up exactly).
 */
export function dependenciesSql(startNs: bigint, endNs: bigint, part: number, parts: number): string {
  const inPart = parts > 1 ? ` AND hash(trace_id) % ${parts} = ${part}` : '';
  return `WITH s AS (SELECT trace_id, span_id, parent_id, svc, status FROM spans WHERE start_ns BETWEEN ${startNs} AND ${endNs}${inPart})
      SELECT p.svc, c.svc, count(*), count(*) FILTER (WHERE c.status = 2)
      FROM s c JOIN (SELECT DISTINCT trace_id, span_id, svc FROM s) p ON c.trace_id = p.trace_id AND c.parent_id = p.span_id
      WHERE p.svc <> c.svc GROUP BY 1, 2`;
}
