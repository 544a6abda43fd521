/**
 * Deleting spans by start time. Whole UTC days before the cutoff go with DROP PARTITION (instant,
 * synchronous). What remains before the cutoff inside the cutoff's own day needs a DELETE
 * mutation, which 18.16 runs in the background and, there, by rewriting every part of the
 * table; so purgeBefore waits for it to finish (18.16 has no mutations_sync) and retention asks
 * for day-aligned cutoffs (retentionCutoff) so that it only ever drops partitions.
 */
import type { ClickHouseConnection } from './connection.js';
import { RowBinaryReader } from './row-binary.js';
import { DATA_TABLES, DAY_NS } from './schema.js';
import { sqlString, sqlUInt } from './sql.js';

const MUTATION_POLL_MS = 50;
const MUTATION_TIMEOUT_MS = 10 * 60_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function count(conn: ClickHouseConnection, sql: string): Promise<number> {
  const r = new RowBinaryReader(await conn.query(sql));
  return Number(r.uint64());
}

export async function purgeBefore(conn: ClickHouseConnection, db: string, cutoffNs: bigint): Promise<number> {
  if (cutoffNs <= 0n) return 0;
  const before = `start_ns < ${sqlUInt(cutoffNs)}`;
  const purged = await count(conn, `SELECT count() FROM ${db}.spans WHERE ${before} FORMAT RowBinary`);
  const firstKeptDay = cutoffNs / DAY_NS;
  // Each table's own days; `spans` first, so an interrupted purge leaves index rows pointing at
  // nothing (harmless) rather than spans that trace_index no longer locates.
  for (const table of DATA_TABLES) {
    const r = new RowBinaryReader(
      await conn.query(`SELECT DISTINCT partition FROM system.parts WHERE database = ${sqlString(db)} AND table = ${sqlString(table)} AND active FORMAT RowBinary`),
    );
    const days: string[] = [];
    while (!r.done) days.push(r.string());
    for (const day of days) {
      // The partition value is the day number as ClickHouse prints it: digits only.
      if (/^\d+$/.test(day) && BigInt(day) < firstKeptDay) await conn.command(`ALTER TABLE ${db}.${table} DROP PARTITION ${sqlUInt(BigInt(day))}`);
    }
  }
  // What is left before the cutoff is in the cutoff's own day. Its trace_index rows stay until
  // that whole day is dropped: a row whose spans are gone costs getTrace an empty range read.
  if ((await count(conn, `SELECT count() FROM ${db}.spans WHERE ${before} FORMAT RowBinary`)) > 0) {
    await conn.command(`ALTER TABLE ${db}.spans DELETE WHERE ${before}`);
    await waitForMutations(conn, db);
  }
  return purged;
}

async function waitForMutations(conn: ClickHouseConnection, db: string): Promise<void> {
  const deadline = Date.now() + MUTATION_TIMEOUT_MS;
  const sql = `SELECT count() FROM system.mutations WHERE database = ${sqlString(db)} AND table = 'spans' AND is_done = 0 FORMAT RowBinary`;
  while ((await count(conn, sql)) > 0) {
    if (Date.now() > deadline) throw new Error(`ClickHouse at ${conn.target.display}: a DELETE of old spans is still running after ${MUTATION_TIMEOUT_MS / 60_000} min`);
    await sleep(MUTATION_POLL_MS);
  }
}

/** The start of the cutoff's UTC day: retention then only drops whole partitions. */
export const dayAligned = (cutoffNs: bigint): bigint => (cutoffNs / DAY_NS) * DAY_NS;
