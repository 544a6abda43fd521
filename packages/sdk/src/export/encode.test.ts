/** The direct encoder agrees with the canonical conversion, as read back by the model's OTLP decoder. */
import { describe, expect, it } from 'vitest';
import { decodeOtlpProto } from '@skein/model';
import { toModelSpan } from '../convert.js';
import { resolveOptions } from '../config.js';
import { SkeinProvider } from '../provider.js';
import type { SkeinSpan } from '../span.js';
import { encodeSpans } from './batch.js';

describe('encodeSpans', () => {
  it('decodes to exactly the canonical spans', () => {
    const p = new SkeinProvider(resolveOptions({ endpoint: 'none', flushOnExit: false, serviceName: 'enc' }, {}), null);
    const ended: SkeinSpan[] = [];
    p.onEnd = (s) => void ended.push(s);
    const a = p.getTracer('a', '1.2');
    const b = p.getTracer('b');
    const root = a.startSpan('root', { kind: 1, attributes: { s: 'x', i: 42, d: 1.5, b: true, arr: ['p', 'q'], big: 2 ** 60 } });
    root.addEvent('ev', { k: 'v' });
    root.setStatus({ code: 2, message: 'boom' });
    const link = { context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 }, attributes: { l: 1 } };
    b.startSpan('other', { links: [link], attributes: { nums: [1, 2.5] } }).end();
    root.end();
    const spans = ended.map((s) => toModelSpan(s, p.resource));
    const decoded = decodeOtlpProto(encodeSpans(ended, p.resource));
    expect(decoded.rejected).toBe(0);
    const strip = (x: (typeof spans)[number]) => ({ ...x, resource: x.resource.attributes, scope: [x.scope.name, x.scope.version] });
    const byId = (xs: typeof spans) => [...xs].sort((m, n) => m.spanId.localeCompare(n.spanId)).map(strip);
    expect(byId(decoded.spans)).toEqual(byId(spans));
  });
});
