/** The waterfall at 80 and 200 columns: fits the width, draws the tree, errors and critical path. */
import { describe, expect, it } from 'vitest';
import { ciTrace } from '../test-support/trace-fixture.js';
import { renderWaterfall } from './waterfall.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
const visible = (s: string): number => [...plain(s)].length;

describe('renderWaterfall', () => {
  for (const width of [80, 200]) {
    it(`fits ${width} columns with colour on and off`, () => {
      for (const color of [false, true]) {
        const lines = renderWaterfall(ciTrace(), { width, color, events: true }).trimEnd().split('\n');
        for (const l of lines) expect(visible(l)).toBeLessThan(width);
        // every span row has the same layout: bars start in one column, durations end the line
        const rows = lines.map(plain).filter((l) => /(ms|s)$/.test(l) && /[█▒]/.test(l));
        expect(rows).toHaveLength(8);
        expect(new Set(rows.map((l) => visible(l))).size).toBe(1);
      }
    });
  }

  it('draws the tree, the services, errors and the critical path', () => {
    const out = renderWaterfall(ciTrace(), { width: 120, color: false });
    const lines = out.split('\n');
    const row = (name: string): string => lines.find((l) => l.includes(name))!;
    expect(out).toContain('trace 4bf92f3577b34da6a3ce929d0e0e4736');
    expect(out).toContain('8 spans · 3 services · depth 3');
    expect(out).toContain('1 error');
    expect(out).toContain('services: ■ build ■ ci ■ deploy-agent');
    expect(row('pipeline [ci]')).toMatch(/^pipeline \[ci\]\s+█+\s+12\.4s$/);
    expect(row('checkout')).toMatch(/^├─checkout/);
    expect(row('npm ci')).toMatch(/^│ ├─npm ci/);
    expect(row('kubectl')).toMatch(/^ {2}└─kubectl rollout status deploy\/web/);
    // the failing step is marked and is not on the critical path (it ends before deploy starts)
    expect(row('test')).toMatch(/^├─✗ test\s+ ▒+ +4\.38s$/);
    // critical: pipeline -> deploy -> kubectl, build -> tsc, npm ci, checkout
    for (const name of ['deploy [deploy-agent]', 'kubectl', 'build [build]', 'npm ci', 'checkout']) expect(row(name)).toContain('█');
    // bars are placed on the time axis: deploy starts after the build ends
    const col = (l: string): number => l.search(/[█▒]/);
    expect(col(row('deploy ['))).toBeGreaterThan(col(row('build [')) + 20);
  });

  it('shows events when asked and copes with a single zero-length span', () => {
    expect(renderWaterfall(ciTrace(), { width: 100, color: false, events: true })).toMatch(/· cache miss\s+◆\s+\+900ms/);
    const one = ciTrace().slice(0, 1);
    one[0]!.endTimeUnixNano = one[0]!.startTimeUnixNano;
    expect(renderWaterfall(one, { width: 80, color: false })).toMatch(/pipeline \[ci\]\s+█\s+0ns/);
  });
});
