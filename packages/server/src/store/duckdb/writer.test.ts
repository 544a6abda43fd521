/** GroupWriter's checkpoints: every core while writes wait, DuckDB's usual threads after. */
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { makeSpan, sid, tid } from '../conformance.js';
import { Interner } from './interner.js';
import { ensureSchema } from './schema.js';
import { GroupWriter } from './writer.js';

const threadsOf = async (c: DuckDBConnection): Promise<number> => Number((await c.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]![0]);

describe('GroupWriter checkpoints', () => {
  it('run FORCE CHECKPOINT with the checkpoint threads and restore the usual ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skein-writer-'));
    const path = join(dir, 'skein.duckdb');
    const db = await DuckDBInstance.create(path, { threads: '1' });
    const admin = await db.connect();
    await ensureSchema(admin, path);
    const during: number[] = [];
    // Each lane connection reports DuckDB's threads at the moment it is asked to checkpoint.
    const connect = async (): Promise<DuckDBConnection> => {
      const c = await db.connect();
      const run = c.run.bind(c);
      c.run = (async (sql: string, ...rest: unknown[]) => {
        if (sql === 'FORCE CHECKPOINT') during.push(await threadsOf(c));
        return run(sql, ...(rest as []));
      }) as typeof c.run;
      return c;
    };
    const writer = await GroupWriter.create(connect, new Interner(), { checkpoint: { walPath: `${path}.wal`, bytes: 1 << 30, threads: 1, checkpointThreads: 2 } });
    await writer.write([makeSpan({ traceId: tid(1), spanId: sid(1) })]);
    await writer.checkpoint();
    await writer.write([makeSpan({ traceId: tid(2), spanId: sid(1) })]);
    await writer.checkpoint();
    expect(during).toEqual([2, 2]);
    expect(await threadsOf(admin)).toBe(1);
    expect(Number((await admin.runAndReadAll(`SELECT count(*) FROM spans`)).getRows()[0]![0])).toBe(2);
    writer.closeConnection();
    admin.closeSync();
    db.closeSync();
    await rm(dir, { recursive: true, force: true });
  });
});
