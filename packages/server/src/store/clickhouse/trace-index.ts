/**
 * `trace_index` (schema.ts): where a trace's spans are in `spans`, which is sorted by
 * (svc, name, start_ns). A row says "this trace has spans of service `svc`, operation `name`
 * starting at `starts`"; getTrace turns them into an IN set on the key prefix of `spans` (one
 * query), the writer's duplicate probe into key ranges, so both read only those granules.
 */
import { hexToBytes } from '@skein/model';
import type { ClickHouseConnection } from './connection.js';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';
import { DAY_NS } from './schema.js';
import { ascending } from '../store.js';
import { sqlString, sqlUInt } from './sql.js';

/** A key range of `spans`: one service and operation, starts from lo to hi (inclusive). */
export interface KeyRange {
  svc: string;
  name: string;
  lo: bigint;
  hi: bigint;
}

/** A trace_index row: its spans of one service and operation start at `starts`. */
export interface IndexRow {
  traceId: string;
  svc: string;
  name: string;
  starts: bigint[];
}

/** SQL text per query for lists of literals: well inside max_query_size (256 KiB). */
const SQL_BUDGET = 80_000;
/** Ranges of one pair closer than this (ns) are read as one: two granules cost more than a gap. */
const MERGE_GAP_NS = 1_000_000_000n;

/** Splits SQL fragments into groups whose text stays within SQL_BUDGET. */
export function chunked(parts: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const p of parts) {
    if (cur.length && size + p.length > SQL_BUDGET) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(p);
    size += p.length + 4;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * The index rows of these traces (hex ids) for spans starting in [fromNs, toNs), by trace. The
 * time bounds prune whole days (partitions); PREWHERE reads only trace ids until one matches.
 */
export async function readIndex(conn: ClickHouseConnection, db: string, traceIds: string[], fromNs: bigint, toNs: bigint): Promise<Map<string, IndexRow[]>> {
  const out = new Map<string, IndexRow[]>();
  for (const ids of chunked(traceIds.map((t) => sqlString(hexToBytes(t))))) {
    const r = new RowBinaryReader(
      await conn.query(
        `SELECT trace_id, svc, name, starts FROM ${db}.trace_index PREWHERE trace_id IN (${ids.join(', ')})
        WHERE start_min >= ${sqlUInt(fromNs)} AND start_min < ${sqlUInt(toNs)} FORMAT RowBinary`,
      ),
    );
    while (!r.done) {
      const row: IndexRow = { traceId: r.fixed(16).toString('hex'), svc: r.string(), name: r.string(), starts: r.uint64s() };
      const list = out.get(row.traceId);
      if (list) list.push(row);
      else out.set(row.traceId, [row]);
    }
  }
  return out;
}

/** A (service, operation) pair as one string, unambiguous whatever the names hold. */
export const pairKey = (svc: string, name: string): string => `${svc.length}:${svc}${name}`;

/** What the index says is stored: `pairKey + start` per trace. */
export function indexedStarts(existing: Map<string, IndexRow[]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [traceId, rows] of existing) {
    const set = new Set<string>();
    for (const row of rows) for (const start of row.starts) set.add(`${start}:${pairKey(row.svc, row.name)}`);
    out.set(traceId, set);
  }
  return out;
}

/** Key ranges as few as possible: per pair, ranges that overlap or nearly touch are joined. */
export function mergeRanges(rows: KeyRange[], gap = MERGE_GAP_NS): KeyRange[] {
  const byPair = new Map<string, KeyRange[]>();
  for (const r of rows) {
    const k = pairKey(r.svc, r.name);
    const list = byPair.get(k);
    if (list) list.push(r);
    else byPair.set(k, [r]);
  }
  const out: KeyRange[] = [];
  for (const list of byPair.values()) {
    list.sort((a, b) => ascending(a.lo, b.lo));
    let cur = { ...list[0]! };
    for (const r of list.slice(1)) {
      if (r.lo <= cur.hi + gap) {
        if (r.hi > cur.hi) cur.hi = r.hi;
      } else {
        out.push(cur);
        cur = { ...r };
      }
    }
    out.push(cur);
  }
  return out;
}

/** `spans` rows in one of these key ranges: the primary key prunes to them (an OR of ranges). */
export function rangesCond(ranges: KeyRange[]): string {
  return `(${ranges
    .map((r) => `(svc = ${sqlString(r.svc)} AND name = ${sqlString(r.name)} AND start_ns >= ${sqlUInt(r.lo)} AND start_ns <= ${sqlUInt(r.hi)})`)
    .join(' OR ')})`;
}

/** The rows of a trace in `spans` (all of its spans: the IN set is its index's exact keys). */
export function traceSql(db: string, traceId: string): string {
  const id = sqlString(hexToBytes(traceId));
  return `SELECT span_id, otlp FROM ${db}.spans PREWHERE trace_id = ${id}
  AND (svc, name, start_ns) IN (SELECT svc, name, arrayJoin(starts) FROM ${db}.trace_index WHERE trace_id = ${id}) FORMAT RowBinary`;
}

/**
 * The index rows for spans about to be written: one per (trace, service, operation, UTC day),
 * with their distinct starts, ascending; starts the index already holds are left out.
 */
export function indexRowsFor(spans: Array<{ traceId: string; svc: string; name: string; start: bigint }>, known: Map<string, Set<string>>): IndexRow[] {
  const rows = new Map<string, IndexRow>();
  for (const s of spans) {
    const pair = pairKey(s.svc, s.name);
    if (known.get(s.traceId)?.has(`${s.start}:${pair}`)) continue;
    const k = `${s.traceId}${s.start / DAY_NS}:${pair}`;
    const row = rows.get(k);
    if (row) row.starts.push(s.start);
    else rows.set(k, { traceId: s.traceId, svc: s.svc, name: s.name, starts: [s.start] });
  }
  const out = [...rows.values()];
  for (const row of out) row.starts = [...new Set(row.starts)].sort(ascending);
  return out;
}

/** trace_index rows as RowBinary, in INDEX_COLUMNS order. */
export function writeIndexRows(rows: IndexRow[]): Buffer {
  const w = new RowBinaryWriter();
  for (const row of rows) {
    w.hex(row.traceId);
    w.string(row.svc);
    w.string(row.name);
    w.uint64(row.starts[0]!);
    w.uint64s(row.starts);
  }
  return w.finish();
}
