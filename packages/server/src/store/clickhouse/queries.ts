/**
 * SQL for searches, dependencies and RED metrics over `spans`, following match.ts. Every value
 * from a query goes through sqlString/sqlUInt/sqlFloat64 (sql.ts); nothing else is spliced.
 */
import type { RedQuery, TraceQuery } from '../store.js';
import { sqlFloat64, sqlString, sqlUInt } from './sql.js';

const KIND_NAMES = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'];

/** Spans whose Jaeger kind name (match.ts spanKindName) is `name`; kinds past 5 read as ''. */
export function kindCond(name: string): string {
  if (name === '') return '(kind = 0 OR kind > 5)';
  const i = KIND_NAMES.indexOf(name);
  return i > 0 ? `kind = ${i}` : '0';
}

export const kindName = (kind: number): string => KIND_NAMES[kind] ?? '';

/**
 * One attribute filter, with the pseudo-tags match.ts gives meaning to, and whether it is on the
 * small columns only (PREWHERE) or reads status_msg or the attribute arrays.
 */
function attributeCond(key: string, want: string): { cond: string; cheap: boolean } {
  if (key === 'error') return { cond: want === 'true' ? 'status = 2' : 'status != 2', cheap: true };
  if (key === 'span.kind') return { cond: kindCond(want), cheap: true };
  if (key === 'otel.status_code') {
    const i = STATUS_NAMES.indexOf(want);
    return { cond: want === '' ? 'status > 2' : i >= 0 ? `status = ${i}` : '0', cheap: true };
  }
  if (key === 'otel.status_description') return { cond: `status_msg = ${sqlString(want)}`, cheap: false };
  return { cond: `arrayExists((k, v) -> k = ${sqlString(key)} AND v = ${sqlString(want)}, attr_keys, attr_values)`, cheap: false };
}

/**
 * The conditions of a search, all to hold on one span: `pre` on the small columns (svc, name,
 * kind, status, start, duration), for PREWHERE and the primary key; `post` on status_msg and the
 * attribute arrays, read only for granules where some row passed `pre`.
 */
export function searchConditions(q: TraceQuery): { pre: string[]; post: string[] } {
  const pre: string[] = [];
  const post: string[] = [];
  if (q.service !== undefined) pre.push(`svc = ${sqlString(q.service)}`);
  if (q.operation !== undefined) pre.push(`name = ${sqlString(q.operation)}`);
  if (q.spanKind !== undefined && q.spanKind !== '') pre.push(kindCond(q.spanKind));
  if (q.startTimeMinNs !== undefined) pre.push(`start_ns >= ${sqlUInt(q.startTimeMinNs < 0n ? 0n : q.startTimeMinNs)}`);
  if (q.startTimeMaxNs !== undefined) pre.push(q.startTimeMaxNs < 0n ? '0' : `start_ns <= ${sqlUInt(q.startTimeMaxNs)}`);
  if (q.durationMinNs !== undefined) pre.push(`dur_ns >= ${sqlInt(q.durationMinNs)}`);
  if (q.durationMaxNs !== undefined) pre.push(`dur_ns <= ${sqlInt(q.durationMaxNs)}`);
  for (const [k, v] of Object.entries(q.attributes ?? {})) {
    const { cond, cheap } = attributeCond(k, v);
    (cheap ? pre : post).push(cond);
  }
  return { pre, post };
}

/** A signed bound on dur_ns (Int64); a bound outside Int64 is clamped, which keeps its meaning. */
function sqlInt(v: bigint): string {
  const max = (1n << 63n) - 1n;
  if (v > max) v = max;
  if (v < -max) v = -max;
  return v < 0n ? `toInt64(-${sqlUInt(-v)})` : `toInt64(${sqlUInt(v)})`;
}

export function searchSql(db: string, q: TraceQuery): string {
  const { pre, post } = searchConditions(q);
  const prewhere = pre.length ? ` PREWHERE ${pre.join(' AND ')}` : '';
  const where = post.length ? ` WHERE ${post.join(' AND ')}` : '';
  return `SELECT trace_id FROM (SELECT trace_id, max(start_ns) AS t FROM ${db}.spans${prewhere}${where}
  GROUP BY trace_id ORDER BY t DESC, trace_id LIMIT ${sqlUInt(q.limit)}) FORMAT RowBinary`;
}

/**
 * How many spans pass a search's conditions on the small columns, and their oldest and newest
 * start: the time range findTraceIds searches in windows (the arrays are not read).
 */
export function searchBoundsSql(db: string, q: TraceQuery): string {
  const { pre } = searchConditions(q);
  const prewhere = pre.length ? ` PREWHERE ${pre.join(' AND ')}` : '';
  return `SELECT count(), min(start_ns), max(start_ns) FROM ${db}.spans${prewhere} FORMAT RowBinary`;
}

const inWindow = (startNs: bigint, endNs: bigint): string =>
  `start_ns >= ${sqlUInt(startNs < 0n ? 0n : startNs)} AND start_ns <= ${sqlUInt(endNs)}`;

/**
 * Calls between services: a span whose parent (same trace) is in another service; an error call
 * when the child failed. ANY JOIN takes one parent row when a span id was stored in two versions.
 */
export function dependenciesSql(db: string, startNs: bigint, endNs: bigint): string {
  const w = inWindow(startNs, endNs);
  return `SELECT psvc, svc, count(), countIf(status = 2) FROM
  (SELECT trace_id, parent_id AS pid, svc, status FROM ${db}.spans WHERE ${w} AND parent_id != ${sqlString(new Uint8Array(8))})
  ANY INNER JOIN (SELECT trace_id, span_id AS pid, svc AS psvc FROM ${db}.spans WHERE ${w}) USING (trace_id, pid)
  WHERE psvc != svc GROUP BY psvc, svc FORMAT RowBinary`;
}

/**
 * A quantile with linear interpolation between closest ranks, as the memory store computes it:
 * the same IEEE operations in the same order on the sorted durations `d` of length `n`, with q
 * passed as its exact bits, so the answers are equal to the last bit.
 */
function quantileExpr(q: number): string {
  const pos = `(${sqlFloat64(q)} * (n - 1))`;
  const at = (i: string): string => `toFloat64(d[toUInt64(${i}) + 1])`;
  return `${at(`floor(${pos})`)} + (${pos} - floor(${pos})) * (${at(`ceil(${pos})`)} - ${at(`floor(${pos})`)})`;
}

export function redSql(db: string, q: RedQuery): string {
  const qs = q.quantiles ?? [];
  const conds = [`svc = ${sqlString(q.service)}`, inWindow(q.startNs, q.endNs)];
  if (q.spanKinds?.length) conds.push(`(${q.spanKinds.map(kindCond).join(' OR ')})`);
  const op = q.groupByOperation ? 'name' : "''";
  const since = q.startNs < 0n ? `start_ns + ${sqlUInt(-q.startNs)}` : `start_ns - ${sqlUInt(q.startNs)}`;
  const inner = `SELECT ${op} AS op, intDiv(${since}, ${sqlUInt(q.stepNs)}) AS b, count() AS calls,
  countIf(status = 2) AS errors${qs.length ? ', arraySort(groupArray(dur_ns)) AS d, length(d) AS n' : ''}
  FROM ${db}.spans PREWHERE ${conds.join(' AND ')} GROUP BY op, b`;
  const lat = qs.length ? `[${qs.map(quantileExpr).join(', ')}]` : 'emptyArrayFloat64()';
  return `SELECT op, b, calls, errors, ${lat} FROM (${inner}) FORMAT RowBinary`;
}
