/** The DuckDB store runs the shared Store conformance suite on real files. */
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.js';
import { DuckDbStore } from './index.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skein-duckdb-conf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

storeConformance('DuckDbStore (file)', () => DuckDbStore.open({ path: join(dir, `s${n++}.duckdb`) }), { red: true });
