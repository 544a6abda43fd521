/** Unit tests for the trace algorithms: tree, critical path, self time, compare, graph layout. */
import { describe, expect, it } from 'vitest';
import { buildTrace, defaultCollapsed, reveal, visibleRows } from '../src/trace/tree.js';
import { criticalPath, mainRoot } from '../src/trace/criticalPath.js';
import { hotSpots, selfTimes } from '../src/trace/selfTime.js';
import { compareTraces } from '../src/trace/compare.js';
import { layoutGraph } from '../src/trace/layout.js';
import { flameLayout } from '../src/trace/flame.js';
import { MS, sp } from './fixtures.js';
import { spanIdAt, spanIndex } from '../src/trace/model.js';

// root 0..100 with children a 10..40 (grandchild a1 15..35), b 30..90 (grandchild b1 40..60), c 92..95.
const known = () =>
  buildTrace([
    sp('b1', 'b', 40, 60, 'db', 'query'),
    sp('root', '', 0, 100, 'api', 'GET /'),
    sp('a', 'root', 10, 40, 'auth', 'check'),
    sp('b', 'root', 30, 90, 'store', 'load'),
    sp('a1', 'a', 15, 35, 'db', 'query'),
    sp('c', 'root', 92, 95, 'cache', 'get'),
  ]);

describe('buildTrace', () => {
  it('orders spans depth-first with children by start, and knows depth and subtree sizes', () => {
    const t = known();
    const ids = Array.from(t.order, (i) => spanIdAt(t, i).replace(/^0+/, ''));
    expect(ids).toEqual(['root', 'a', 'a1', 'b', 'b1', 'c']);
    const at = (id: string) => spanIndex(t, id.padStart(16, '0'));
    expect(t.depth[at('b1')]).toBe(2);
    expect(t.size[at('root')]).toBe(5);
    expect(t.size[at('b')]).toBe(1);
    expect(t.duration).toBe(100 * MS);
    expect(t.maxDepth).toBe(2);
    expect(t.services.sort()).toEqual(['api', 'auth', 'cache', 'db', 'store']);
  });

  it('counts orphans and survives parent cycles', () => {
    const t = buildTrace([sp('x', 'y', 0, 10), sp('y', 'x', 1, 5), sp('z', 'missing', 2, 3)]);
    expect(t.orphans).toBe(1);
    expect(Array.from(t.parent).filter((p) => p === -1).length).toBeGreaterThanOrEqual(2);
    expect(new Set(t.order).size).toBe(3);
  });

  it('collapses and reveals subtrees', () => {
    const t = known();
    const c = new Uint8Array(t.n);
    const b = spanIndex(t, 'b'.padStart(16, '0'));
    c[b] = 1;
    expect(visibleRows(t, c).length).toBe(5);
    reveal(t, c, spanIndex(t, 'b1'.padStart(16, '0')));
    expect(visibleRows(t, c).length).toBe(6);
  });

  it('opens big traces collapsed below the first level', () => {
    const spans = [sp('r', '', 0, 100)];
    for (let i = 0; i < 50; i++) {
      spans.push(sp(`p${i}`, 'r', i, i + 10));
      for (let j = 0; j < 3; j++) spans.push(sp(`p${i}c${j}`, `p${i}`, i + j, i + j + 1));
    }
    const t = buildTrace(spans);
    expect(visibleRows(t, defaultCollapsed(t, 100)).length).toBe(51);
    expect(visibleRows(t, defaultCollapsed(t)).length).toBe(t.n);
  });
});

describe('criticalPath', () => {
  it('follows the last-finishing child back through the trace', () => {
    const t = known();
    const segs = criticalPath(t).map((s) => [spanIdAt(t, s.span).replace(/^0+/, ''), s.start / MS, s.end / MS]);
    expect(segs).toEqual([
      ['root', 0, 10],
      ['a', 10, 15],
      ['a1', 15, 30],
      ['b', 30, 40],
      ['b1', 40, 60],
      ['b', 60, 90],
      ['root', 90, 92],
      ['c', 92, 95],
      ['root', 95, 100],
    ]);
    const total = criticalPath(t).reduce((s, x) => s + x.end - x.start, 0);
    expect(total).toBe(t.duration);
  });

  it('picks the root that ends last when there are several', () => {
    const t = buildTrace([sp('r1', '', 0, 10), sp('r2', '', 5, 50)]);
    expect(spanIdAt(t, mainRoot(t))).toBe('r2'.padStart(16, '0'));
  });

  it('handles a chain deeper than the JS stack', () => {
    const spans = [sp('0', '', 0, 100000)];
    for (let i = 1; i < 20000; i++) spans.push(sp(String(i), String(i - 1), i, 100000 - i));
    const t = buildTrace(spans);
    expect(criticalPath(t).length).toBeGreaterThan(20000);
  });
});

describe('self time and hot spots', () => {
  it('subtracts the union of children, clipped to the span', () => {
    const t = known();
    const self = selfTimes(t);
    const at = (id: string) => self[spanIndex(t, id.padStart(16, '0'))]! / MS;
    // root: children cover 10..90 and 92..95 => 83 covered of 100.
    expect(at('root')).toBe(17);
    expect(at('a')).toBe(10);
    expect(at('b')).toBe(40);
    expect(at('b1')).toBe(20);
  });

  it('groups by service+operation sorted by self time', () => {
    const rows = hotSpots(known());
    // store/load and db/query tie on self time (40ms); the larger total goes first.
    expect(rows[0]).toMatchObject({ service: 'store', operation: 'load', count: 1, self: 40 * MS, total: 60 * MS });
    expect(rows[1]).toMatchObject({ service: 'db', operation: 'query', count: 2, self: 40 * MS, total: 40 * MS });
    expect(rows[1]!.share).toBeCloseTo(0.4);
    expect(rows.map((r) => r.service)).toEqual(['store', 'db', 'api', 'auth', 'cache']);
  });
});

describe('compareTraces', () => {
  it('matches by service+operation path and reports the planted difference', () => {
    const fast = buildTrace([sp('r', '', 0, 10, 'api', 'GET'), sp('q', 'r', 1, 3, 'db', 'query')]);
    const slow = buildTrace([
      sp('r', '', 0, 50, 'api', 'GET'),
      sp('q', 'r', 1, 3, 'db', 'query'),
      sp('q2', 'r', 3, 5, 'db', 'query'),
      sp('x', 'r', 5, 45, 'vm', 'boot'),
    ]);
    const rows = compareTraces(fast, slow);
    expect(rows.map((r) => [r.service, r.operation, r.depth, r.countA, r.countB, r.change])).toEqual([
      ['api', 'GET', 0, 1, 1, 'same'],
      ['db', 'query', 1, 1, 2, 'changed'],
      ['vm', 'boot', 1, 0, 1, 'added'],
    ]);
    expect(rows[0]!.durB - rows[0]!.durA).toBe(40 * MS);
  });
});

describe('layoutGraph', () => {
  it('ranks callers left of callees, even with a cycle', () => {
    const l = layoutGraph([
      { parent: 'web', child: 'api', callCount: 5, errorCount: 0 },
      { parent: 'api', child: 'db', callCount: 9, errorCount: 1 },
      { parent: 'api', child: 'cache', callCount: 2, errorCount: 0 },
      { parent: 'db', child: 'api', callCount: 1, errorCount: 0 },
    ]);
    const x = Object.fromEntries(l.nodes.map((n) => [n.id, n.x]));
    expect(x.web).toBeLessThan(x.api!);
    expect(x.api).toBeLessThan(x.db!);
    expect(x.cache).toBe(x.db);
    const ys = l.nodes.filter((n) => n.x === x.db).map((n) => n.y);
    expect(new Set(ys).size).toBe(2);
  });
  it('routes an edge that skips a layer through a slot of its own, beside the services there', () => {
    const e = (parent: string, child: string) => ({ parent, child, callCount: 1, errorCount: 0 });
    const l = layoutGraph([e('web', 'api'), e('api', 'db'), e('web', 'db'), e('db', 'web')]);
    const node = Object.fromEntries(l.nodes.map((n) => [n.id, n]));
    const edge = (p: string, c: string) => l.edges.find((x) => x.parent === p && x.child === c)!;
    expect(edge('web', 'api')).toMatchObject({ back: false, via: [] });
    const long = edge('web', 'db');
    expect(long.back).toBe(false);
    expect(long.via).toHaveLength(1);
    expect(long.via[0]!.x).toBe(node.api!.x);
    expect(long.via[0]!.y).not.toBe(node.api!.y);
    expect(edge('db', 'web')).toMatchObject({ back: true, via: [] });
    expect(l.nodes.map((n) => n.id).sort()).toEqual(['api', 'db', 'web']);
  });

  it('orders names with numbers naturally (spoke-2 above spoke-10)', () => {
    const l = layoutGraph(['spoke-10', 'spoke-2', 'spoke-1'].map((child) => ({ parent: 'hub', child, callCount: 1, errorCount: 0 })));
    const y = Object.fromEntries(l.nodes.map((n) => [n.id, n.y]));
    expect(y['spoke-1']).toBeLessThan(y['spoke-2']!);
    expect(y['spoke-2']).toBeLessThan(y['spoke-10']!);
  });
});

describe('flameLayout', () => {
  it('puts concurrent siblings on separate rows, under their parent', () => {
    const t = known();
    const { row, rows } = flameLayout(t);
    const at = (id: string) => row[spanIndex(t, id.padStart(16, '0'))];
    expect(at('root')).toBe(0);
    // a (10..40) and b (30..90) overlap: b goes below a's subtree (a and a1 take rows 1-2).
    expect(at('a')).toBe(1);
    expect(at('a1')).toBe(2);
    expect(at('b')).toBe(3);
    expect(at('b1')).toBe(4);
    // c (92..95) starts after both ended: back on row 1.
    expect(at('c')).toBe(1);
    expect(rows).toBe(5);
  });
});
