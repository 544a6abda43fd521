/** Real child processes: trace context handed to children through spawn/execFile and the environment. */
import { describe, expect, it } from 'vitest';
import { childScript, runChild } from './test-support/child.js';
import { childFixture } from './test-support/child-fixture.js';
import { attr, orphans } from './test-support/receiver.js';

const fx = childFixture();

describe('propagation to child processes', () => {
  it('puts children spawned through the helpers under the parent span; a bare child makes its own trace', async () => {
    fx.rx.spans.length = 0;
    const run = runChild(childScript('spawn-parent.ts'), fx.env());
    expect(await run.done).toBe(0);
    const [, traceId, spanId] = /PARENT (\w+) (\w+)/.exec(run.stdout)!;
    await fx.rx.waitFor(7);
    const childOps = fx.rx.spans.filter((s) => s.name === 'child-op');
    const byName = new Map(childOps.map((s) => [attr(s, 'child.name'), s]));
    for (const name of ['spawned', 'execfile']) {
      const s = byName.get(name)!;
      expect(s.traceId).toBe(traceId);
      expect(s.parentSpanId).toBe(spanId);
    }
    const bare = byName.get('bare')!;
    expect(bare.traceId).not.toBe(traceId);
    expect(bare.parentSpanId).toBe('');
    expect(orphans(fx.rx.spans)).toEqual([]);
    // Each child's inner span sits under its child-op span (same process, active context).
    const inners = fx.rx.spans.filter((s) => s.name === 'child-inner');
    expect(inners).toHaveLength(3);
    for (const inner of inners) expect(childOps.some((c) => c.spanId === inner.parentSpanId)).toBe(true);
  });
});

