/** The DuckDB store keeps every acknowledged span across kill -9 of the writing process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tid } from '../conformance.js';
import { DuckDbStore } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-duckdb-kill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const freshPath = (): string => join(dir, 'killed.duckdb');

describe('DuckDbStore durability', () => {
  it('keeps every acknowledged span when the writer is killed with SIGKILL', async () => {
    const path = freshPath();
    const script = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: number[] = [];
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    try {
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
        if (acked.length === 40) {
          child.kill('SIGKILL');
          break;
        }
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(acked).toHaveLength(40);
    const store = await DuckDbStore.open({ path });
    for (const b of acked) expect(await store.getTrace(tid(b + 1))).toHaveLength(200);
    expect((await store.stats()).spans).toBeGreaterThanOrEqual(40 * 200);
    await store.close();
  });

  it('names the directory and the process holding it when another process has the file open', async () => {
    const path = join(dir, 'held', 'skein.duckdb');
    await mkdir(join(dir, 'held'));
    const script = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      for await (const line of createInterface({ input: child.stdout! })) if (line.startsWith('ack ')) break;
      const err = (await DuckDbStore.open({ path }).catch((e: unknown) => e)) as Error;
      expect(err.message).toBe(
        `${join(dir, 'held')} is in use by another process (PID ${child.pid}): is a skein serve already running on it? Stop that one, or give this one another --data`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
