/**
 * The ClickHouse schema, created at open (idempotent) and versioned in `meta`. Everything here
 * is what 18.16 accepts: no LowCardinality columns, skip indexes or TTL (18.16 has no usable
 * form of them), plain MergeTree-family tables.
 */
import type { ClickHouseConnection } from './connection.js';
import { RowBinaryReader, RowBinaryWriter } from './row-binary.js';

export const SCHEMA_VERSION = 1;

export class SchemaVersionError extends Error {}

/** A UTC day number of a start time: the partition key, so retention can drop whole days. */
export const DAY_NS = 86_400_000_000_000n;

/** The spans table's columns, in the order rows are written (rows.ts). */
export const SPAN_COLUMNS = [
  'svc', 'name', 'start_ns', 'trace_id', 'span_id', 'fp', 'parent_id', 'dur_ns',
  'kind', 'status', 'status_msg', 'attr_keys', 'attr_values', 'otlp',
] as const;

/**
 * `spans`, one row per span, laid out for searches (as SigNoz and Uptrace lay out theirs):
 * - sorted by (svc, name, start_ns, ...): a search by service (+ operation, + time range) and a
 *   RED query read only that key range of the primary index, and the cheap columns (svc, name,
 *   kind, status, start, duration) are filtered in PREWHERE before attribute arrays are read.
 * - a trace by id goes through `trace_index` (below), which names the (svc, name, start range)
 *   key ranges holding the trace's spans; only those granules of `spans` are read.
 * - ReplacingMergeTree on the whole key, which ends in (trace_id, span_id, fp): the writer drops
 *   exact duplicates before inserting (writer.ts); duplicates that two processes insert at the
 *   same moment still collapse when parts merge (an exact duplicate has the same svc, name, start).
 * - partitioned by UTC day of the start time, so retention drops whole days (18.16's DELETE
 *   mutations rewrite every part of the table, whether or not it holds a deleted row).
 * - 256-row granules: a trace by id reads one granule of each column per span it finds (its
 *   spans are in different key ranges), so small granules keep that read small.
 * - attr_keys/attr_values are the span's attributes then its resource's, each value as the text
 *   searches compare (match.ts).
 * - `otlp` is the span, its resource and scope as an OTLP ExportTraceServiceRequest (the
 *   model's codec): every field, type and nanosecond comes back exactly.
 */
/** Rows per granule of `spans`. */
export const SPANS_GRANULE = 256;

const spansDdl = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.spans (
  svc String,
  name String,
  start_ns UInt64,
  trace_id FixedString(16),
  span_id FixedString(8),
  fp UInt64,
  parent_id FixedString(8),
  dur_ns Int64,
  kind UInt8,
  status UInt8,
  status_msg String,
  attr_keys Array(String),
  attr_values Array(String),
  otlp String
) ENGINE = ReplacingMergeTree
PARTITION BY intDiv(start_ns, ${DAY_NS})
ORDER BY (svc, name, start_ns, trace_id, span_id, fp)
SETTINGS index_granularity = ${SPANS_GRANULE}`;

/** trace_index's columns, in the order rows are written (trace-index.ts). */
export const INDEX_COLUMNS = ['trace_id', 'svc', 'name', 'start_min', 'starts'] as const;

/**
 * `trace_index`: where a trace's spans are in `spans`. One row per (trace, service, operation,
 * UTC day) per write group, with the distinct start times of those spans (ascending; start_min
 * is the first); sorted by trace_id, so a trace's rows are read through the primary key, and
 * `(svc, name, start_ns) IN (SELECT svc, name, arrayJoin(starts) ...)` prunes `spans` to the
 * granules holding exactly those keys. Partitioned by the same UTC day as the spans it points to
 * (a row never covers two days), so retention drops both tables' days alike. Plain MergeTree: a
 * row written twice (a retried write) only repeats starts, which the IN set absorbs.
 */
const indexDdl = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.trace_index (
  trace_id FixedString(16),
  svc String,
  name String,
  start_min UInt64,
  starts Array(UInt64)
) ENGINE = MergeTree
PARTITION BY intDiv(start_min, ${DAY_NS})
ORDER BY (trace_id, svc, name, start_min)
SETTINGS index_granularity = 256`;

/** The tables holding span data, for stats and purges. */
export const DATA_TABLES = ['spans', 'trace_index'] as const;

/** Creates the database and tables if missing; refuses a database of a newer schema. */
export async function ensureSchema(conn: ClickHouseConnection, db: string): Promise<void> {
  await conn.command(`CREATE DATABASE IF NOT EXISTS ${db}`);
  await conn.command(`CREATE TABLE IF NOT EXISTS ${db}.meta (key String, value String) ENGINE = MergeTree ORDER BY key`);
  const r = new RowBinaryReader(await conn.query(`SELECT value FROM ${db}.meta WHERE key = 'schema_version' FORMAT RowBinary`));
  let version = 0;
  while (!r.done) version = Math.max(version, Number(r.string()));
  if (version > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `ClickHouse database ${conn.target.display} has schema version ${version}, newer than this skein's ${SCHEMA_VERSION}; upgrade skein`,
    );
  }
  await conn.command(spansDdl(db));
  await conn.command(indexDdl(db));
  if (version === 0) {
    const w = new RowBinaryWriter();
    w.string('schema_version');
    w.string(String(SCHEMA_VERSION));
    await conn.insert(`INSERT INTO ${db}.meta (key, value) FORMAT RowBinary`, w.finish());
  }
}
