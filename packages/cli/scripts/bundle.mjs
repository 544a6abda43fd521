// Bundles the CLI into CommonJS files that bin/skein runs: Node loads one file much faster than
// an ES module graph, and for short commands start-up is most of their time.
//   dist/exec.cjs: `skein exec` alone (exec/main.ts), run once per traced step of a script;
//   dist/cli.cjs:  every other command (cli-main.ts): `skein span event` took 145 ms from the
//                  module graph and 95 ms from the bundle (hyperfine, NODE_EXTRA_CA_CERTS unset).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', conditions: ['source'], logLevel: 'warning' };
const src = (p) => fileURLToPath(new URL(`../src/${p}`, import.meta.url));
const dist = (p) => fileURLToPath(new URL(`../dist/${p}`, import.meta.url));

// gRPC loads only for --protocol grpc, from node_modules as usual
await build({ ...common, entryPoints: [src('exec/main.ts')], outfile: dist('exec.cjs'), external: ['@grpc/grpc-js'] });
// the server (serve, forward, import --data) and native or heavy modules load from node_modules when used
await build({
  ...common,
  entryPoints: [src('cli-main.ts')],
  outfile: dist('cli.cjs'),
  external: ['@skein/server', '@duckdb/node-api', '@grpc/grpc-js', 'pino', '@clickhouse/client', 'yaml', 'zod', '@msgpack/msgpack'],
});
