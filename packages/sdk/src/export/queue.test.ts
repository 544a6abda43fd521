/** The export queue: spans encoded at end() arrive whole and exact, across scopes, batches, a backlog and a reused spool. */
import { describe, expect, it } from 'vitest';
import { decodeOtlpProto } from '@skein/model';
import type { Span } from '@skein/model';
import { resolveOptions } from '../config.js';
import { toModelSpan } from '../convert.js';
import { SkeinProvider } from '../provider.js';
import type { SkeinSpan } from '../span.js';
import { relMsToNs, writeRelMsAsNs } from '../time.js';
import type { ByteExporter } from './exporter.js';

/** Keeps a copy of every body; each send waits until `release()` so a backlog can build up. */
function heldExporter(): ByteExporter & { bodies: Uint8Array[]; release(): void; held: number } {
  let waiting: (() => void)[] = [];
  const ex = {
    target: 'test',
    bodies: [] as Uint8Array[],
    held: 0,
    send(body: Uint8Array): Promise<void> {
      ex.bodies.push(body.slice());
      ex.held++;
      return new Promise<void>((r) => waiting.push(r));
    },
    release(): void {
      const w = waiting;
      waiting = [];
      ex.held = 0;
      for (const r of w) r();
    },
    close: async () => {},
  };
  return ex;
}

const strip = (x: Span) => ({ ...x, resource: x.resource.attributes, scope: [x.scope.name, x.scope.version] });
const byId = (xs: Span[]) => [...xs].sort((m, n) => m.spanId.localeCompare(n.spanId)).map(strip);

describe('ExportQueue', () => {
  it('delivers every span exactly, from two scopes, through a backlog that forces the spool to compact', async () => {
    const ex = heldExporter();
    const o = resolveOptions({ endpoint: 'none', flushOnExit: false, serviceName: 'q', batchSize: 7, queueSize: 1000 }, {});
    const p = new SkeinProvider(o, ex);
    const ended: SkeinSpan[] = [];
    const onEnd = p.onEnd.bind(p);
    p.onEnd = (s) => {
      ended.push(s);
      onEnd(s);
    };
    const a = p.getTracer('a', '1');
    const b = p.getTracer('b');
    const make = (i: number): void => {
      const s = (i % 3 === 0 ? b : a).startSpan(`op-${i % 4}`, { attributes: { i, neg: -i - 1, big: -(2 ** 40) - i, d: i + 0.5, s: 'x'.repeat(i % 200) } });
      if (i % 5 === 0) s.addEvent('ev', { k: i });
      s.end();
    };
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) make(round * 50 + i);
      // Let one send start and leave the rest waiting; then release it and the next ones.
      await new Promise((r) => setImmediate(r));
      expect(ex.held).toBeLessThanOrEqual(1);
      ex.release();
      await new Promise((r) => setImmediate(r));
    }
    const flushed = p.queue.flush();
    while (p.queue.length > 0 || ex.held > 0) {
      ex.release();
      await new Promise((r) => setImmediate(r));
    }
    ex.release();
    await flushed;
    expect(p.queue.exported).toBe(200);
    const got: Span[] = [];
    for (const body of ex.bodies) {
      const d = decodeOtlpProto(body);
      expect(d.rejected).toBe(0);
      got.push(...d.spans);
    }
    expect(byId(got)).toEqual(byId(ended.map((s) => toModelSpan(s, p.resource))));
    await p.queue.close();
  });

  it('drops spans that end after close instead of writing into a spool it gave back', async () => {
    const ex = heldExporter();
    const p = new SkeinProvider(resolveOptions({ endpoint: 'none', flushOnExit: false, serviceName: 'q' }, {}), ex);
    const s = p.getTracer('t').startSpan('late');
    await p.queue.close();
    s.end();
    expect(p.queue.dropped).toBe(1);
    expect(p.queue.length).toBe(0);
  });
});

describe('writeRelMsAsNs', () => {
  it('writes the same epoch nanoseconds as the BigInt conversion', () => {
    const buf = new Uint8Array(8);
    const view = new DataView(buf.buffer);
    for (const ms of [0, 1e-6, 0.5, 123.456789, 1e7 + 0.123456, -5.25, -performance.timeOrigin + 1, 8.9e9, performance.now()]) {
      writeRelMsAsNs(buf, 0, ms);
      expect(view.getBigUint64(0, true)).toBe(relMsToNs(ms));
    }
  });
});
