import { describe, expect, it } from 'vitest';
import { jaegerTraceToSpans } from './jaeger-json.js';

const span = (spanID: string, extra: Record<string, unknown> = {}) => ({
  traceID: 'b1b2b3b4b5b6b7b8', spanID, operationName: 'op', startTime: 1_764_216_000_000_000, duration: 1500, processID: 'p1', ...extra,
});

describe('jaegerTraceToSpans', () => {
  it('decodes what it can, counting the spans it skipped', () => {
    const r = jaegerTraceToSpans({
      spans: [span('00000000000000a1', { tags: [{ key: 'span.kind', type: 'string', value: 'server' }] }), span('not-hex'), span('00000000000000a2', { startTime: 'later' })],
      processes: { p1: { serviceName: 'front', tags: [] } },
    });
    expect(r.skipped).toBe(2);
    expect(r.spans).toHaveLength(1);
    expect(r.spans[0]).toMatchObject({ traceId: '0000000000000000b1b2b3b4b5b6b7b8', spanId: '00000000000000a1', kind: 2, endTimeUnixNano: 1_764_216_000_001_500_000n });
    expect(r.spans[0]!.resource.attributes).toEqual([{ key: 'service.name', value: 'front' }]);
  });
  it('skips a whole trace whose processes cannot be read, and tolerates one without spans', () => {
    expect(jaegerTraceToSpans({ spans: [span('00000000000000a1')], processes: { p1: 'nonsense' } })).toEqual({ spans: [], skipped: 1 });
    expect(jaegerTraceToSpans({} as never)).toEqual({ spans: [], skipped: 0 });
  });
});
