/** Browser tests of the trace page: tree, critical path, detail, keyboard, hot spots, find, flame, JSON. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, go, row, rowNames, type Session } from './support/session.js';
import { shot } from './support/shots.js';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(() => s?.close());

describe('trace view', () => {
  it('shows the tree, header and durations', async () => {
    await go(s.page, `/trace/${s.slow.traceId}`);
    await s.page.waitForSelector('.wf-row');
    expect(await rowNames(s.page)).toEqual([
      'rootSpan', 'createSandbox', 'startVM', 'init', 'healthCheck', 'createContainer', 'CreateContainer', 'pullImage', 'mountRootfs', 'mountRootfs', 'prefetch', 'startContainer',
    ]);
    const header = await s.page.textContent('.trace-header');
    expect(header).toContain('containerd');
    expect(header).toContain('rootSpan');
    expect(header).toMatch(/Duration\s*1\.00s/);
    expect(header).toMatch(/Spans\s*12/);
    expect(header).toMatch(/Depth\s*4/);
    expect(header).toMatch(/Errors\s*1/);
    const pull = s.page.locator(row('pullImage'));
    expect(await pull.locator('.bar-label').textContent()).toBe('370ms');
  });

  it('zooms the timeline by dragging on the minimap', async () => {
    const box = (await s.page.locator('.minimap').boundingBox())!;
    await s.page.mouse.move(box.x + box.width * 0.3, box.y + 20);
    await s.page.mouse.down();
    await s.page.mouse.move(box.x + box.width * 0.5, box.y + 20, { steps: 4 });
    await s.page.mouse.up();
    const ticks = await s.page.$$eval('.time-axis span', (e) => e.map((x) => x.textContent));
    expect(ticks[0]).toBe('300ms');
    expect(ticks[4]).toBe('500ms');
    await s.page.click('button.reset-zoom');
    expect(await s.page.$$eval('.time-axis span', (e) => e.map((x) => x.textContent))).toEqual(['0ns', '250ms', '500ms', '750ms', '1.00s']);
  });

  it('highlights the critical path', async () => {
    const crit = await s.page.$$eval('.wf-row.crit', (rows) => rows.map((r) => r.querySelector('.wf-op')!.textContent));
    expect(crit).toEqual(['rootSpan', 'createSandbox', 'startVM', 'init', 'createContainer', 'CreateContainer', 'pullImage', 'mountRootfs', 'mountRootfs', 'startContainer']);
    // Parallel work that nothing waited on stays off the path.
    expect(crit).not.toContain('healthCheck');
    expect(crit).not.toContain('prefetch');
  });

  it('shows span detail with typed attributes, and HTML in values as inert text', async () => {
    await s.page.click(row('CreateContainer'));
    await s.page.waitForSelector('.detail .kv');
    const note = await s.page.locator('.detail .kv tr', { hasText: 'note' }).locator('.v').textContent();
    expect(note).toBe('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    expect(await s.page.$$('.detail img')).toHaveLength(0);
    expect(await s.page.$$('.detail script')).toHaveLength(0);
    expect(await s.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await s.page.textContent('.detail')).toContain('ERROR: image pull took too long');
    expect(s.page.url()).toContain(`span=${s.slow.ids.CreateContainer}`);
    await s.page.click(row('startVM'));
    await s.page.waitForSelector('.detail .events li');
    const vcpus = s.page.locator('.detail .kv tr', { hasText: 'vcpus' });
    expect(await vcpus.locator('.type').textContent()).toBe('int');
    expect(await s.page.locator('.detail .kv tr', { hasText: 'memory.mb' }).locator('.type').textContent()).toBe('double');
    expect(await s.page.textContent('.detail .events')).toContain('+70.0ms');
    expect(await s.page.textContent('.detail .events')).toContain('vm booted');
    await shot(s.page, '02-trace-timeline');
  });

  it('opens a deep link to a span with that span selected', async () => {
    await go(s.page, `/trace/${s.slow.traceId}?span=${s.slow.ids.pullImage}`);
    await s.page.waitForSelector('.detail h3:text-is("pullImage")');
    expect(await s.page.textContent('.detail h3')).toBe('pullImage');
    expect(await s.page.textContent('.wf-row.selected .wf-op')).toBe('pullImage');
  });

  it('moves and folds with the keyboard', async () => {
    await s.page.focus('.wf-scroll');
    await s.page.keyboard.press('ArrowUp');
    expect(await s.page.textContent('.wf-row.selected .wf-op')).toBe('CreateContainer');
    await s.page.keyboard.press('ArrowLeft');
    expect(await rowNames(s.page)).not.toContain('pullImage');
    await s.page.keyboard.press('ArrowRight');
    expect(await rowNames(s.page)).toContain('pullImage');
    await s.page.keyboard.press('ArrowLeft');
    await s.page.keyboard.press('ArrowLeft');
    await s.page.keyboard.press('ArrowLeft');
    expect(await s.page.textContent('.wf-row.selected .wf-op')).toBe('createContainer');
  });

  it('ranks hot spots by self time and highlights a row\'s spans', async () => {
    await s.page.click('button[role=tab]:has-text("Hot spots")');
    await s.page.waitForSelector('table.hot tbody tr');
    const rows = await s.page.$$eval('table.hot tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows.map((r) => r[1])).toEqual(['pullImage', 'prefetch', 'init', 'startVM', 'CreateContainer', 'mountRootfs', 'healthCheck', 'rootSpan', 'startContainer', 'createContainer', 'createSandbox']);
    expect(rows[0]!.slice(2, 5)).toEqual(['1', '370ms', '370ms']);
    expect(rows[0]![5]).toContain('37%');
    await shot(s.page, '03-hot-spots');
    await s.page.click('table.hot tbody tr:has(td:text-is("mountRootfs"))');
    await s.page.waitForSelector('.wf-row.highlight');
    expect(await s.page.$$eval('.wf-row.highlight .wf-op', (e) => e.map((x) => x.textContent))).toEqual(['mountRootfs', 'mountRootfs']);
  });

  it('finds spans by attribute', async () => {
    await s.page.fill('#find', 'hypervisor=qemu');
    await s.page.waitForSelector('.find-count:has-text("1 matches")');
    expect(await s.page.$$eval('.wf-row.highlight .wf-op', (e) => e.map((x) => x.textContent))).toEqual(['startVM']);
  });

  it('draws a flame graph and the raw JSON', async () => {
    await s.page.click('button[aria-label="Clear find"]');
    await s.page.click('button[role=tab]:has-text("Flame graph")');
    await s.page.waitForSelector('.flame canvas');
    const box = (await s.page.locator('.flame canvas').boundingBox())!;
    // Five rows: healthCheck and prefetch run beside their siblings, so they get rows of their own.
    expect(box.height).toBe(5 * 20);
    await shot(s.page, '04-flame');
    await s.page.click('button[role=tab]:has-text("JSON")');
    await s.page.waitForSelector('pre.json');
    expect(await s.page.textContent('pre.json')).toContain('"resourceSpans"');
    await s.page.click('.seg button:has-text("Jaeger JSON")');
    await s.page.waitForFunction(() => document.querySelector('pre.json')?.textContent?.includes('"processes"'));
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('button:has-text("Download Jaeger JSON")')]);
    expect(download.suggestedFilename()).toBe(`trace-${s.slow.traceId}-jaeger.json`);
  });

  it('dark theme', async () => {
    // A full page load of a deep link, this time.
    await s.page.goto(`${s.base}/trace/${s.slow.traceId}?span=${s.slow.ids.startVM}`);
    await s.page.waitForSelector('.detail h3:text-is("startVM")');
    await s.page.click('button[aria-label="Toggle theme"]');
    expect(await s.page.getAttribute('html', 'data-theme')).toBe('dark');
    await shot(s.page, '07-trace-dark');
    await s.page.click('button[aria-label="Toggle theme"]');
  });
});
