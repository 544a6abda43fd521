/** Small builders for spans and traces used by the UI's unit tests. */
import type { ParsedSpan } from '../src/trace/model.js';

export const TRACE = 'a'.repeat(32);

/** A span with times in ms (relative to a fixed epoch) for readability. */
export function sp(id: string, parent: string, startMs: number, endMs: number, service = 'svc', name = id, extra: Partial<ParsedSpan> = {}): ParsedSpan {
  const base = 1_700_000_000_000_000_000n;
  return {
    traceId: TRACE,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent ? parent.padStart(16, '0') : '',
    name,
    kind: 'internal',
    service,
    startNs: base + BigInt(Math.round(startMs * 1e6)),
    endNs: base + BigInt(Math.round(endMs * 1e6)),
    attributes: [],
    resource: [{ key: 'service.name', type: 'string', value: service }],
    scope: '',
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    ...extra,
  };
}

export const MS = 1e6;
