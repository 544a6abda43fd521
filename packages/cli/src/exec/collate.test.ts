/**
 * The collate example: a parent starts child processes (standing in for containers) that get
 * the trace context only through their environment; all spans land in one trace.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceName } from '@skein/model';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import { run } from '../test-support/run.js';

const PARENT = fileURLToPath(new URL('../../../../examples/collate/parent.mjs', import.meta.url));
let cli: BuiltCli;
let receiver: Receiver;

beforeAll(async () => {
  [cli, receiver] = await Promise.all([buildCli(), startReceiver()]);
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await cli?.cleanup();
});

it('collates the children of a parent process into one trace', async () => {
  const r = await run(process.execPath, [PARENT], { SKEIN: cli.shell, SKEIN_ENDPOINT: receiver.url, TRACEPARENT: '', OTEL_SERVICE_NAME: '' });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('experiment finished: 3/3 pods succeeded');
  const spans = receiver.spans;
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const root = spans.find((s) => s.name === 'chaos-experiment')!;
  expect(root.parentSpanId).toBe('');
  expect(serviceName(root.resource)).toBe('chaos-operator');
  expect(root.events.map((e) => e.name).sort()).toEqual(['probe-cmd exited', 'probe-http exited', 'runner exited']);
  for (const pod of ['runner', 'probe-http', 'probe-cmd']) {
    const mine = spans.filter((s) => serviceName(s.resource) === pod);
    expect(mine.map((s) => s.name).sort()).toEqual([`${pod}: inject`, `${pod}: start`, `${pod}: verify`, `${pod}: work`]);
    const work = mine.find((s) => s.name === `${pod}: work`)!;
    expect(work.parentSpanId).toBe(root.spanId);
    expect(mine.find((s) => s.name === `${pod}: inject`)!.parentSpanId).toBe(work.spanId);
  }
  expect(spans).toHaveLength(13);
}, 90_000);
