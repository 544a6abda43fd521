/** Test support: builds the UI when its sources are newer than dist, and starts `skein serve` in memory. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';

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

/**
 * `skein serve --memory` on ephemeral ports. When serve cannot load (the server package is
 * mid-change in the shared tree), the same parts are mounted by hand: memory store, OTLP/HTTP
 * handler, query router and the static UI handler on one node:http port.
 */
export async function startUiServer(): Promise<UiServer> {
  ensureBuilt();
  const logger = pino({ level: 'silent' });
  try {
    const { startServe } = await import('@skein/server');
    return await startServe({ memory: true, http: '127.0.0.1:0', otlpHttp: '127.0.0.1:0', otlpGrpc: 'off', logger });
  } catch (err) {
    console.warn(`startServe unavailable (${(err as Error).message.split('\n')[0]}); mounting the parts by hand`);
  }
  const src = '../../../server/src';
  const { MemoryStore } = await import(`${src}/store/memory/index.js`);
  const { createQueryRouter } = await import(`${src}/query/router.js`);
  const { createOtlpHttpHandler } = await import(`${src}/receivers/otlp-http/handler.js`);
  const { createStaticHandler } = await import(`${src}/http/static.js`);
  const store = new MemoryStore();
  const ingest = createOtlpHttpHandler({ consume: (spans: unknown[]) => store.write(spans) });
  const query = createQueryRouter({ reader: store });
  const ui = createStaticHandler();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.url?.split('?')[0] === '/v1/traces') return ingest(req, res);
      if (await query(req, res)) return;
      return ui(req, res);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    httpAddress: address,
    addresses: { http: address, otlpHttp: address },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
