// Bundles `skein exec` into one CommonJS file, dist/exec.cjs, which bin/skein runs (exec/main.ts).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

await build({
  entryPoints: [fileURLToPath(new URL('../src/exec/main.ts', import.meta.url))],
  outfile: fileURLToPath(new URL('../dist/exec.cjs', import.meta.url)),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  // gRPC loads only for --protocol grpc, from node_modules as usual
  external: ['@grpc/grpc-js'],
  logLevel: 'warning',
});
