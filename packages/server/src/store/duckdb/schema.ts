/** The DuckDB store's tables, and the schema-version check made when a file is opened. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from 'pino';
import { MAX_NAMES } from './interner.js';

/**
 * 2: span attributes name keys by codes from `attr_keys` (attr-keys.ts).
 * 3: spans name their service and operation by ids from `names` (svc, op) instead of text.
 */
export const SCHEMA_VERSION = 3;

/**
 * spans: one row per span; resource, scope and attribute keys are interned into their own tables
 * (a batch shares them), ids are integers (UHUGEINT/UBIGINT) so they compress and compare fast.
 * traces: one row per trace per commit with its start-time range, behind an ART index, so a lookup
 * by id reads the index and then only the row groups whose start-time zonemaps overlap that range.
 * Attribute text keeps DuckDB's default string compression (dictionary/FSST, ~33 B/span on the
 * bench dataset): zstd took it to ~14 B/span but decompresses a whole segment to fetch one row,
 * which made trace-by-id and attribute search several times slower on 1M spans.
 * Service and span names are integer ids (svc, op) into `names`: filtering and grouping on them
 * made the RED aggregate of the largest service on 10M spans ~2x faster than on text columns
 * (DuckDB compares and hashes dictionary-compressed strings row by row). A span whose name did
 * not get an id (interner.ts, MAX_NAMES) has op NULL and its name in `name`, NULL otherwise.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, service VARCHAR, attrs VARCHAR, dropped INTEGER, schema_url VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS scopes (id INTEGER PRIMARY KEY, name VARCHAR, version VARCHAR, attrs VARCHAR, dropped INTEGER, schema_url VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS attr_keys (id INTEGER PRIMARY KEY, key VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS traces (trace_id UHUGEINT NOT NULL, start_min BIGINT NOT NULL, start_max BIGINT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS traces_by_id ON traces (trace_id)`,
  `CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)`,
];

const SPANS = `CREATE TABLE spans (
    trace_id UHUGEINT NOT NULL, span_id UBIGINT NOT NULL, parent_id UBIGINT,
    start_ns BIGINT NOT NULL, dur_ns BIGINT NOT NULL,
    svc UINTEGER NOT NULL, op UINTEGER, name VARCHAR, kind UTINYINT NOT NULL,
    status UTINYINT NOT NULL, status_msg VARCHAR NOT NULL, flags UINTEGER NOT NULL,
    res_id INTEGER NOT NULL, scope_id INTEGER NOT NULL, attrs VARCHAR NOT NULL, extra VARCHAR)`;

/** The span columns in table order; the staging table and the appender follow it. */
export const SPAN_COLUMNS = [
  'trace_id', 'span_id', 'parent_id', 'start_ns', 'dur_ns', 'svc', 'op', 'name', 'kind',
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

/** Creates the tables on a new file, or checks the version of an existing one and upgrades it. */
export async function ensureSchema(conn: DuckDBConnection, path: string, logger?: Logger): Promise<void> {
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
    if (upgradeFrom === 0) await conn.run(SPANS);
    else await nameByIds(conn, path, logger);
    await conn.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}

/** Rows rewritten per statement of the upgrade: bounds the memory of its sort by row order. */
const UPGRADE_ROWS = 1_000_000;

/**
 * Schemas 1 and 2 kept service and span names as text in every span: rewrites the spans table
 * with ids from `names` (services all, span names the MAX_NAMES commonest), in the old row order
 * so that start-time zonemaps stay as tight, a million rows at a time. All inside the caller's
 * transaction: a crash leaves the old file as it was.
 */
async function nameByIds(conn: DuckDBConnection, path: string, logger?: Logger): Promise<void> {
  const [count, lastRow] = (await conn.runAndReadAll(`SELECT count(*), max(rowid) FROM spans`)).getRows()[0]!.map((v) => Number(v ?? -1));
  logger?.info({ path, spans: count }, `duckdb store: upgrading to schema ${SCHEMA_VERSION} (names by id); this reads and rewrites every span once`);
  const t0 = performance.now();
  await conn.run(`INSERT INTO names SELECT (row_number() OVER (ORDER BY text) - 1)::INTEGER, text FROM (
      SELECT service AS text FROM resources UNION SELECT service FROM spans
      UNION SELECT text FROM (SELECT name AS text, count(*) AS n FROM spans GROUP BY 1 ORDER BY n DESC, text LIMIT ${MAX_NAMES}))`);
  await conn.run(`ALTER TABLE spans RENAME TO spans_v2`);
  await conn.run(SPANS);
  for (let from = 0; from <= lastRow!; from += UPGRADE_ROWS) {
    await conn.run(`INSERT INTO spans SELECT s.trace_id, s.span_id, s.parent_id, s.start_ns, s.dur_ns, v.id, o.id,
        CASE WHEN o.id IS NULL THEN s.name END, s.kind, s.status, s.status_msg, s.flags, s.res_id, s.scope_id, s.attrs, s.extra
      FROM spans_v2 s JOIN names v ON v.name = s.service LEFT JOIN names o ON o.name = s.name
      WHERE s.rowid BETWEEN ${from} AND ${from + UPGRADE_ROWS - 1} ORDER BY s.rowid`);
    const done = Math.min(lastRow! + 1, from + UPGRADE_ROWS);
    if (done <= lastRow!) logger?.info({ path, rows: done, of: lastRow! + 1 }, 'duckdb store: upgrading');
  }
  await conn.run(`DROP TABLE spans_v2`);
  logger?.info({ path, spans: count, ms: Math.round(performance.now() - t0) }, 'duckdb store: upgraded');
}
