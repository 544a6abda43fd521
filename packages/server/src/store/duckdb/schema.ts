/** The DuckDB store's tables, and the schema-version check made when a file is opened. */
import type { DuckDBConnection } from '@duckdb/node-api';

/** 2: span attributes name keys by codes from `attr_keys` (attr-keys.ts). */
export const SCHEMA_VERSION = 2;

/**
 * spans: one row per span; resource, scope and attribute keys are interned into their own tables
 * (a batch shares them), ids are integers (UHUGEINT/UBIGINT) so they compress and compare fast.
 * traces: one row per trace per commit with its start-time range, behind an ART index, so a lookup
 * by id reads the index and then only the row groups whose start-time zonemaps overlap that range.
 * Attribute text keeps DuckDB's default string compression (dictionary/FSST, ~33 B/span on the
 * bench dataset): zstd took it to ~14 B/span but decompresses a whole segment to fetch one row,
 * which made trace-by-id and attribute search several times slower on 1M spans.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, service VARCHAR, attrs VARCHAR, dropped INTEGER, schema_url VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS scopes (id INTEGER PRIMARY KEY, name VARCHAR, version VARCHAR, attrs VARCHAR, dropped INTEGER, schema_url VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS spans (
    trace_id UHUGEINT NOT NULL, span_id UBIGINT NOT NULL, parent_id UBIGINT,
    start_ns BIGINT NOT NULL, dur_ns BIGINT NOT NULL,
    service VARCHAR NOT NULL, name VARCHAR NOT NULL, kind UTINYINT NOT NULL,
    status UTINYINT NOT NULL, status_msg VARCHAR NOT NULL, flags UINTEGER NOT NULL,
    res_id INTEGER NOT NULL, scope_id INTEGER NOT NULL, attrs VARCHAR NOT NULL, extra VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS attr_keys (id INTEGER PRIMARY KEY, key VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS traces (trace_id UHUGEINT NOT NULL, start_min BIGINT NOT NULL, start_max BIGINT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS traces_by_id ON traces (trace_id)`,
];

/** The span columns in table order; the staging table and the appender follow it. */
export const SPAN_COLUMNS = [
  'trace_id', 'span_id', 'parent_id', 'start_ns', 'dur_ns', 'service', 'name', 'kind',
  'status', 'status_msg', 'flags', 'res_id', 'scope_id', 'attrs', 'extra',
] as const;

export class SchemaVersionError extends Error {
  constructor(path: string, found: number) {
    super(
      `${path} has store schema version ${found}, newer than this Skein understands (${SCHEMA_VERSION}); ` +
        `upgrade Skein or point --data at another directory`,
    );
    this.name = 'SchemaVersionError';
  }
}

/** Creates the tables on a new file, or checks the version of an existing one. */
export async function ensureSchema(conn: DuckDBConnection, path: string): Promise<void> {
  const hasMeta = await conn.runAndReadAll(
    `SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main' AND table_catalog = current_database()`,
  );
  let upgradeFrom = 0;
  if (Number(hasMeta.getRows()[0]![0]) > 0) {
    const v = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema_version'`);
    const found = Number(v.getRows()[0]?.[0] ?? 0);
    if (found > SCHEMA_VERSION) throw new SchemaVersionError(path, found);
    if (found === SCHEMA_VERSION) return;
    upgradeFrom = found;
  }
  await conn.run('BEGIN');
  try {
    for (const sql of DDL) await conn.run(sql);
    // Schema 1 spelled every attribute key out; those spans stay as they are and stay searchable.
    if (upgradeFrom === 1) await conn.run(`INSERT OR REPLACE INTO meta VALUES ('spelled_out_keys', '1')`);
    await conn.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}
