/**
 * `npm run bench`: runs every benchmark and prints one table per area. Ratios are measured
 * against their named baseline in the same run. `npm run bench -- ingest store` runs a subset.
 */
import { printTable, type BenchRow } from './lib/table.js';
import { rerunWithLauncherTunables } from './lib/serve-process.js';

rerunWithLauncherTunables();

const SUITES: Record<string, { title: string; run: () => Promise<BenchRow[]> }> = {
  codec: { title: 'OTLP codec', run: async () => (await import('./codec.js')).benchCodec() },
  ingest: { title: 'Ingest into skein serve', run: async () => (await import('./ingest.js')).benchIngest() },
  store: { title: 'Store queries', run: async () => (await import('./store.js')).benchStore() },
  forward: { title: 'skein forward', run: async () => (await import('./forward.js')).benchForward() },
  sdk: { title: '@skein/sdk', run: async () => (await import('./sdk.js')).benchSdk() },
  cli: { title: 'skein CLI', run: async () => (await import('./cli.js')).benchCli() },
  ui: { title: 'Web UI (headless Chromium)', run: async () => (await import('./ui.js')).benchUi() },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
let failed = 0;
console.log(`# Skein benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
for (const name of names) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown benchmark "${name}"; choose from ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  try {
    printTable(suite.title, await suite.run());
  } catch (err) {
    failed++;
    console.error(`\n## ${suite.title}: failed: ${err instanceof Error ? err.stack : String(err)}`);
  }
}
process.exit(failed ? 1 : 0);
