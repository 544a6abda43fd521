/** Test support: builds the UI when its sources are newer than dist, and starts `skein serve` in memory. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../../../server/src/test-support/server.js';

export const UI_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function fresh(): boolean {
  const index = join(UI_ROOT, 'dist', 'index.html');
  const srcTime = Math.max(newest(join(UI_ROOT, 'src')), statSync(join(UI_ROOT, 'index.html')).mtimeMs);
  return existsSync(index) && statSync(index).mtimeMs > srcTime;
}

/**
 * Runs `vite build` unless dist is newer than every source file. Test files run in parallel
 * processes, so one builds under a lock (an atomic mkdir) while the others wait for it.
 */
export function ensureBuilt(): void {
  const lock = join(UI_ROOT, '.build-lock');
  const deadline = Date.now() + 120_000;
  while (!fresh()) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 120 s for another UI build (remove ${lock} if it is stale)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (!fresh()) execFileSync(process.execPath, [join(UI_ROOT, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: UI_ROOT, stdio: 'inherit' });
    } finally {
      rmdirSync(lock);
    }
  }
}

/** What the UI tests need from a server: the UI+API address, an OTLP/HTTP address, close(). */
export interface UiServer {
  httpAddress: string;
  addresses: Record<string, string>;
  close(): Promise<void>;
}

/** `skein serve --memory` with every listener on an ephemeral port: test files run in parallel, and a serve may be running. */
export async function startUiServer(): Promise<UiServer> {
  ensureBuilt();
  return startTestServer();
}
