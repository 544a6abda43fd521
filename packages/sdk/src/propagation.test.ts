/** Real child processes: trace context handed to children through spawn/execFile and the environment. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childScript, cleanEnv, runChild } from './test-support/child.js';
import { attr, orphans, startOtlpReceiver } from './test-support/receiver.js';

let rx: Awaited<ReturnType<typeof startOtlpReceiver>>;
let dir: string;
beforeAll(async () => {
  rx = await startOtlpReceiver();
  dir = await mkdtemp(path.join(os.tmpdir(), 'skein-sdk-'));
});
afterAll(async () => {
  await rx.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) =>
  cleanEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: rx.url, OTEL_SERVICE_NAME: 'proc-test', ...extra });

describe('propagation to child processes', () => {
  it('puts children spawned through the helpers under the parent span; a bare child makes its own trace', async () => {
    rx.spans.length = 0;
    const run = runChild(childScript('spawn-parent.ts'), env());
    expect(await run.done).toBe(0);
    const [, traceId, spanId] = /PARENT (\w+) (\w+)/.exec(run.stdout)!;
    await rx.waitFor(7);
    const childOps = rx.spans.filter((s) => s.name === 'child-op');
    const byName = new Map(childOps.map((s) => [attr(s, 'child.name'), s]));
    for (const name of ['spawned', 'execfile']) {
      const s = byName.get(name)!;
      expect(s.traceId).toBe(traceId);
      expect(s.parentSpanId).toBe(spanId);
    }
    const bare = byName.get('bare')!;
    expect(bare.traceId).not.toBe(traceId);
    expect(bare.parentSpanId).toBe('');
    expect(orphans(rx.spans)).toEqual([]);
    // Each child's inner span sits under its child-op span (same process, active context).
    const inners = rx.spans.filter((s) => s.name === 'child-inner');
    expect(inners).toHaveLength(3);
    for (const inner of inners) expect(childOps.some((c) => c.spanId === inner.parentSpanId)).toBe(true);
  });
});

