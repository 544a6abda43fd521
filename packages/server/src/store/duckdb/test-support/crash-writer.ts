/**
 * Child process for the kill -9 test: writes batches to a DuckDB store at argv[2] with several
 * writes in flight, and prints `ack <batch>` the moment each write() resolves.
 */
import { writeSync } from 'node:fs';
import { DuckDbStore } from '../index.js';
import type { Span } from '@skein/model';
import { testResource, testScope, testSpan } from '../../../../../model/src/test-support/spans.js';

const resource = testResource('crash');
const scope = testScope();
const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
const span = (b: number, i: number): Span =>
  testSpan({
    traceId: hex(b + 1, 32),
    spanId: hex(i + 1, 16),
    flags: 0,
    name: 'work',
    kind: 1,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(b * 1000 + i),
    endTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(b * 1000 + i + 10),
    attributes: [{ key: 'batch', value: BigInt(b) }],
    resource,
    scope,
  });

const store = await DuckDbStore.open({ path: process.argv[2]! });
writeSync(1, 'ready\n');
const PER_BATCH = 200;
let next = 0;
async function writer(): Promise<never> {
  for (;;) {
    const b = next++;
    const spans = Array.from({ length: PER_BATCH }, (_, i) => span(b, i));
    await store.write(spans);
    writeSync(1, `ack ${b}\n`);
  }
}
await Promise.all([writer(), writer(), writer(), writer()]);
