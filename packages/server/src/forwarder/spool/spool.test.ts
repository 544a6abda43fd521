import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OverloadedError } from '../../pipeline/errors.js';
import { Spool } from './spool.js';
import { segmentName } from './segment.js';
import { LOCK_FILE } from './dir-lock.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'skein-spool-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const payload = (i: number, size = 100) => Buffer.alloc(size, i & 0xff);

async function readAll(spool: Spool, from = { seg: spool.segments[0]!.id, off: 0 }) {
  const out: Buffer[] = [];
  let pos = from;
  for (;;) {
    const { records, next } = await spool.read(pos, 4096);
    if (records.length === 0 && next.seg === pos.seg && next.off === pos.off) break;
    out.push(...records.map((r) => Buffer.from(r.payload)));
    pos = next;
  }
  return out;
}

describe('Spool', () => {
  it('reads back what it acknowledged, across rotation and a reopen, with cursors kept', async () => {
    const dir = await tempDir();
    let spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1000 });
    const cursor = await spool.openCursor('a', 'a', 'head');
    await Promise.all(Array.from({ length: 30 }, (_, i) => spool.append(payload(i), 2)));
    expect(spool.counters.appendedSpans).toBe(60);
    expect(spool.segments.length).toBeGreaterThan(2);
    const got = await readAll(spool);
    expect(got.map((b) => b[0])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const { next } = await spool.read(cursor.pos, 350);
    spool.advance(cursor, next);
    await spool.close();

    spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 1000 });
    const again = await spool.openCursor('a', 'a', 'head');
    expect(again.pos).toEqual(next);
    const rest = await readAll(spool, again.pos);
    expect(rest.length).toBeLessThan(30);
    expect(rest[rest.length - 1]![0]).toBe(29);
    expect(spool.lag(again).spans).toBe(rest.length * 2);
    await spool.close();
  });

  it('cuts a torn tail on open and never replays it', async () => {
    const dir = await tempDir();
    let spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) await spool.append(payload(i), 1);
    const file = spool.active.file;
    await spool.close();
    // a crash mid-write: half a record, then a record whose bytes were never all written
    const fh = await open(file, 'r+');
    const { size } = await fh.stat();
    await fh.truncate(size - 30);
    await fh.close();
    spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect(spool.counters.cutBytes).toBeGreaterThan(0);
    expect((await stat(file)).size).toBe(2 * (size / 3));
    expect((await readAll(spool)).map((b) => b[0])).toEqual([0, 1]);
    // a checksum failure in the middle also ends the trusted data there
    await spool.append(payload(7), 1);
    const f2 = spool.active.file;
    await spool.close();
    const fh2 = await open(f2, 'r+');
    await fh2.write(Buffer.from([0xff]), 0, 1, 40);
    await fh2.close();
    spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect((await readAll(spool)).map((b) => b[0])).toEqual([0, 1]);
    await spool.close();
  });

  it('drops the oldest segment when full, counting what each destination lost', async () => {
    const dir = await tempDir();
    const spool = await Spool.open({ dir, maxBytes: 4000, segmentBytes: 1000, whenFull: 'drop-oldest' });
    const cursor = await spool.openCursor('dead', 'dead', 'head');
    for (let i = 0; i < 100; i++) await spool.append(payload(i), 3);
    expect(spool.counters.droppedSpans).toBeGreaterThan(0);
    expect(spool.counters.droppedSegments).toBeGreaterThan(0);
    expect(cursor.droppedSpans).toBe(spool.counters.droppedSpans);
    expect(spool.bytes).toBeLessThanOrEqual(4000 + 1000);
    const left = await readAll(spool, cursor.pos);
    expect(left[left.length - 1]![0]).toBe(99);
    expect(left.length * 3 + cursor.droppedSpans).toBe(300);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.seg'));
    expect(files.length).toBe(spool.segments.length);
    await spool.close();
  });

  it('refuses with 503 when full under "refuse", and takes data again once delivered', async () => {
    const dir = await tempDir();
    const spool = await Spool.open({ dir, maxBytes: 3000, segmentBytes: 1000, whenFull: 'refuse' });
    const cursor = await spool.openCursor('c', 'c', 'head');
    let refused: unknown;
    let accepted = 0;
    for (let i = 0; i < 100 && !refused; i++) {
      try {
        await spool.append(payload(i), 1);
        accepted++;
      } catch (err) {
        refused = err;
      }
    }
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).kind).toBe('unavailable');
    expect(spool.counters.refusedSpans).toBe(1);
    expect(accepted).toBeGreaterThan(10);
    // the destination catches up: segments are collected and appends work again
    let pos = cursor.pos;
    for (;;) {
      const { records, next } = await spool.read(pos, 1 << 20);
      if (records.length === 0) break;
      spool.advance(cursor, next);
      pos = next;
    }
    await spool.append(payload(1), 1);
    expect(spool.bytes).toBeLessThan(3000);
    await spool.close();
  });

  it('answers 503 at once while the disk fails, and recovers', async () => {
    const dir = await tempDir();
    const spool = await Spool.open({ dir, maxBytes: 1 << 20, segmentBytes: 500 });
    // The next segment is /dev/full: every write to it fails with ENOSPC, like a full disk.
    await symlink('/dev/full', path.join(dir, segmentName(spool.active.id + 1)));
    let err: unknown;
    for (let i = 0; i < 20 && !err; i++) await spool.append(payload(i), 1).catch((e: unknown) => (err = e));
    expect(err).toBeInstanceOf(OverloadedError);
    expect(spool.counters.diskErrors).toBe(1);
    expect(spool.healthy).toBe(false);
    const t0 = Date.now();
    expect(() => spool.append(payload(0), 1)).toThrow(/disk failed/);
    expect(Date.now() - t0).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 1100));
    await spool.append(payload(42), 1);
    expect(spool.healthy).toBe(true);
    const all = await readAll(spool);
    expect(all[all.length - 1]![0]).toBe(42);
    await spool.close();
  });
});

describe('Spool directory lock', () => {
  const exitedPid = async (): Promise<number> => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    return child.pid!;
  };

  it('refuses a spool another live process holds, and keeps that process\'s segments', async () => {
    const dir = await tempDir();
    const other = spawn('sleep', ['30']);
    try {
      await writeFile(path.join(dir, LOCK_FILE), `${other.pid}\n`);
      const live = path.join(dir, segmentName(1));
      await writeFile(live, ''); // the other forwarder's live, still empty segment
      await expect(Spool.open({ dir, maxBytes: 1 << 20 })).rejects.toThrow(
        `spool ${dir} is in use by another process (PID ${other.pid}): is a skein forward already running on it? Stop that one, or give this one another --spool`,
      );
      expect(await readdir(dir)).toContain(segmentName(1));
    } finally {
      other.kill();
    }
  });

  it('takes over a lock whose process is gone (kill -9 leaves it), and releases it on close', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, LOCK_FILE), `${await exitedPid()}\n`);
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await spool.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
  });
});
