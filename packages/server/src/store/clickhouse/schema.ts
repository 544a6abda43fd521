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
  'trace_id', 'span_id', 'parent_id', 'fp', 'start_ns', 'dur_ns', 'svc', 'name',
  'kind', 'status', 'status_msg', 'attr_keys', 'attr_values', 'otlp',
] as const;

/**
 * `spans`, one row per span:
 * - sorted by (trace_id, span_id, fp), so a trace by id reads a few granules via the primary
 *   key; small granules (2048 rows) because each lookup decompresses whole granules of `otlp`.
 * - ReplacingMergeTree on that key: the writer drops exact duplicates before inserting (writer.ts);
 *   duplicates that two processes insert at the same moment still collapse when parts merge.
 * - partitioned by UTC day of the start time, so retention drops whole days (18.16's DELETE
 *   mutations rewrite every part of the table, whether or not it holds a deleted row).
 * - searchable columns: service, name, kind, status, duration; attr_keys/attr_values are the
 *   span's attributes then its resource's, each value as the text searches compare (match.ts).
 * - `otlp` is the span, its resource and scope as an OTLP ExportTraceServiceRequest (the
 *   model's codec): every field, type and nanosecond comes back exactly.
 */
const spansDdl = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.spans (
  trace_id FixedString(16),
  span_id FixedString(8),
  parent_id FixedString(8),
  fp UInt64,
  start_ns UInt64,
  dur_ns Int64,
  svc String,
  name String,
  kind UInt8,
  status UInt8,
  status_msg String,
  attr_keys Array(String),
  attr_values Array(String),
  otlp String
) ENGINE = ReplacingMergeTree
PARTITION BY intDiv(start_ns, ${DAY_NS})
ORDER BY (trace_id, span_id, fp)
SETTINGS index_granularity = 2048`;

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
  if (version === 0) {
    const w = new RowBinaryWriter();
    w.string('schema_version');
    w.string(String(SCHEMA_VERSION));
    await conn.insert(`INSERT INTO ${db}.meta (key, value) FORMAT RowBinary`, w.finish());
  }
}
