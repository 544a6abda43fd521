/** planGroup: which traces skip the duplicate probe. */
import { describe, expect, it } from 'vitest';
import { makeSpan, sid, tid } from '../conformance.js';
import { planGroup } from './group-plan.js';
import { Interner } from './interner.js';
import { KeySet, spanKey, traceKeyIn, traceWords } from './span-keys.js';

const S = 1_000_000_000n;
const span = (trace: number, id: number, second: bigint) => makeSpan({ traceId: tid(trace), spanId: sid(id), startTimeUnixNano: second * S, endTimeUnixNano: second * S + 1000n });

/**
 * Remembers trace 1 (span 1 at 100 s) and traces 1000-1019 (150-169 s). The span set is small
 * enough to have evicted its older keys; the trace set reaches back to 50 s.
 */
function remembered() {
  const spans = new KeySet(4);
  const traces = new KeySet(64);
  spans.add(spanKey(tid(1), sid(1)), 100n * S);
  traces.add(traceKeyIn(traceWords(tid(1))), 100n * S);
  for (let i = 0; i < 20; i++) {
    spans.add(spanKey(tid(1000 + i), sid(1)), (150n + BigInt(i)) * S);
    traces.add(traceKeyIn(traceWords(tid(1000 + i))), (150n + BigInt(i)) * S);
  }
  traces.floorNs = 50n * S;
  return { spans, traces };
}

const slowTraces = (plan: Awaited<ReturnType<typeof planGroup>>): string[] => [...plan.traces].filter(([, acc]) => acc.slow).map(([id]) => id);

describe('planGroup', () => {
  it('lets a late span of a trace not stored skip the probe, but probes stored traces and repeats', async () => {
    const known = remembered();
    expect(known.spans.floorNs).toBeGreaterThan(120n * S);
    const late = 110n; // after the trace floor, before the span floor
    const plan = await planGroup(
      [{ spans: [span(2, 1, late), span(3, 1, 300n), span(3, 2, 300n), span(1019, 2, late), span(4, 1, 300n), span(4, 1, 300n), span(5, 1, 1n)] }],
      new Interner(),
      known,
    );
    // 2: new trace after the trace floor; 3: new, new span ids. 1019: stored trace, span before the
    // span floor; 4: the same span twice in the group; 5: before the trace floor too.
    expect(slowTraces(plan).sort()).toEqual([tid(1019), tid(4), tid(5)].sort());
    expect(plan.slowSpans).toBe(4);
  });
});

describe('planGroup on a big group', () => {
  it('gives the event loop turns while it plans', async () => {
    const spans = Array.from({ length: 50_000 }, (_, i) => span(10_000 + (i >> 4), i & 15, 500n));
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const plan = await planGroup([{ spans }], new Interner(), remembered());
    done = true;
    expect(plan.accs).toHaveLength(50_000);
    // planning 50,000 spans takes tens of ms; in 4 ms slices the loop gets several turns
    expect(turns).toBeGreaterThan(2);
  });
});
