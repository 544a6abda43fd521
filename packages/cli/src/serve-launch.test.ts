/**
 * `bin/skein serve` as users (and `npm start`) run it: node with a bigger young generation and old generation, and
 * glibc's malloc tunables and DuckDB's jemalloc settings in its environment (bin/skein says why).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/skein', import.meta.url));
const OFF = ['--zipkin', '--jaeger-http', '--jaeger-compact', '--jaeger-binary', '--datadog'].flatMap((f) => [f, 'off']);

it('runs serve on node with the flags and allocator settings the launcher sets', async () => {
  const child = spawn(BIN, ['serve', '--memory', '--http', '127.0.0.1:0', '--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0', ...OFF], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GLIBC_TUNABLES: undefined, DUCKDB_JE_MALLOC_CONF: undefined },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes('skein serve is up') && resolve());
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
    const proc = (name: string): string[] => readFileSync(`/proc/${child.pid}/${name}`, 'utf8').split('\0');
    // exec'd, not forked: the pid users signal is node's
    expect(proc('cmdline').slice(0, 3)).toEqual(['node', '--max-semi-space-size=64', '--initial-old-space-size=256']);
    // glibc parses the variable in place, so /proc shows it cut at the first ':'
    expect(proc('environ')).toContain('GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456');
    expect(proc('environ')).toContain('DUCKDB_JE_MALLOC_CONF=dirty_decay_ms:10000,muzzy_decay_ms:10000');
  } finally {
    child.kill('SIGTERM');
  }
});
