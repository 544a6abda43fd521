/**
 * `npm run bench`: runs every benchmark and prints one table per area. Ratios are measured
 * against their named baseline in the same run. `npm run bench -- ingest store` runs a subset.
 * Each area runs in a process of its own: after the store bench (10M spans through this
 * process) the SDK's in-process span cost measured 4.5 instead of 2.6-2.8 us, and its ratio
 * missed its target.
 */
import { spawnSync } from 'node:child_process';
import { printTable, type BenchRow } from './lib/table.js';
import { rerunWithLauncherTunables } from './lib/serve-process.js';

rerunWithLauncherTunables();

const SUITES: Record<string, { title: string; run: () => Promise<BenchRow[]> }> = {
  codec: { title: 'OTLP codec', run: async () => (await import('./codec.js')).benchCodec() },
  ingest: { title: 'Ingest into skein serve', run: async () => (await import('./ingest.js')).benchIngest() },
  store: { title: 'Store queries', run: async () => (await import('./store.js')).benchStore() },
  clickhouse: { title: 'ClickHouse store (vs DuckDB)', run: async () => (await import('./clickhouse.js')).benchClickHouse() },
  forward: { title: 'skein forward', run: async () => (await import('./forward.js')).benchForward() },
  sdk: { title: '@skein/sdk', run: async () => (await import('./sdk.js')).benchSdk() },
  cli: { title: 'skein CLI', run: async () => (await import('./cli.js')).benchCli() },
  ui: { title: 'Web UI (headless Chromium)', run: async () => (await import('./ui.js')).benchUi() },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
const unknown = names.filter((n) => !SUITES[n]);
if (unknown.length) {
  console.error(`unknown benchmark "${unknown[0]}"; choose from ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
if (process.env.SKEIN_BENCH_CHILD !== '1') {
  console.log(`# Skein benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
}
if (names.length > 1) {
  let failed = 0;
  for (const name of names) {
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, name], { stdio: 'inherit', env: { ...process.env, SKEIN_BENCH_CHILD: '1' } });
    if (run.status !== 0) failed++;
  }
  process.exit(failed ? 1 : 0);
}
const suite = SUITES[names[0]!]!;
try {
  printTable(suite.title, await suite.run());
} catch (err) {
  console.error(`\n## ${suite.title}: failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
}
process.exit(0);
