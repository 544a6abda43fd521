/** The ClickHouse store runs the shared Store conformance suite against a real clickhouse-server. */
import { afterAll, beforeAll } from 'vitest';
import { storeConformance } from '../conformance.js';
import { ClickHouseStore } from './index.js';
import { startClickHouse, type TestClickHouse } from './test-support/clickhouse-server.js';

let server: TestClickHouse;
let n = 0;
beforeAll(async () => {
  server = await startClickHouse();
});
afterAll(async () => {
  await server?.stop();
});

// A fresh database per test: each store starts empty, as the suite expects.
storeConformance('ClickHouseStore', () => ClickHouseStore.open({ url: server.url(`conf_${n++}`) }), { red: true });
