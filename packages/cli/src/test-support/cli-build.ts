/**
 * Builds the CLI from source into a temp dir with esbuild (code-split, so `exec` loads only its
 * own chunk) for tests that start many real `skein` processes: tsx would cost seconds each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuiltCli {
  /** The command words that run skein: ['node', '/tmp/.../cli-dev.js']. */
  argv: string[];
  /** The same as one shell word list (for SKEIN=... in scripts). */
  shell: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function buildCli(): Promise<BuiltCli> {
  const esbuild = await import('esbuild');
  const dir = await mkdtemp(join(tmpdir(), 'skein-cli-test-'));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../cli-dev.ts', import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: dir,
    conditions: ['source'],
    // the server (still being written by others) and native/heavy modules stay out of the bundle
    external: ['@skein/server', '@duckdb/node-api', '@grpc/grpc-js', 'pino', '@clickhouse/client', 'yaml', 'zod', '@msgpack/msgpack'],
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const entry = join(dir, 'cli-dev.js');
  return { argv: [process.execPath, entry], shell: `${process.execPath} ${entry}`, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
