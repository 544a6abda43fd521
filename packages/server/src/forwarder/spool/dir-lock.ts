/**
 * One process per spool directory. Two forwarders on one spool would each delete what they took
 * for the other's empty leftovers (the live segment included) and deliver each other's records.
 * The lock is a file holding the owner's PID, created exclusively; one whose process is gone is
 * stale (kill -9 leaves it) and is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'skein-forward.lock';

export interface DirLock {
  release(): Promise<void>;
}

export async function lockDirectory(dir: string): Promise<DirLock> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return { release: () => unlink(file).catch(() => undefined) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    // This process re-opening its own spool (after a simulated crash, say) is not a conflict.
    if (owner === process.pid) return { release: () => unlink(file).catch(() => undefined) };
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new Error(`spool ${dir} is in use by another process (PID ${owner}): is a skein forward already running on it? Stop that one, or give this one another --spool`);
    }
    await unlink(file).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
