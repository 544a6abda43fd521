import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { UiServer } from './support/server.js';
import { startUiServer } from './support/server.js';
import { launchBrowser, type Browser } from './support/browser.js';
import { kataStartup, sendTrace, type SentTrace } from './support/otel.js';
import { shot } from './support/shots.js';

let server: UiServer;
let browser: Browser;
let page: Page;
let slow: SentTrace;
let fast: SentTrace;
let base: string;

beforeAll(async () => {
  server = await startUiServer();
  base = `http://${server.httpAddress}`;
  slow = await sendTrace(server.addresses.otlpHttp!, kataStartup({ slow: true }), Date.now() - 60_000);
  fast = await sendTrace(server.addresses.otlpHttp!, kataStartup({ slow: false }), Date.now() - 30_000);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => console.error('page error:', e));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The timeline row whose operation is exactly `op` (has-text would also match other case). */
const row = (op: string) => `.wf-row:has(.wf-op:text-is("${op}"))`;
const rowNames = (p: Page) => p.$$eval('.wf-row', (rows) => rows.map((r) => r.querySelector('.wf-op')!.textContent));

describe('search', () => {
  it('finds both traces newest first, with a scatter dot each', async () => {
    await page.goto(`${base}/search?service=containerd&lookback=1h&limit=20`);
    await page.waitForSelector('.results-table tbody tr');
    const ids = await page.$$eval('.results-table tbody tr .mono', (els) => els.map((e) => e.textContent));
    expect(ids).toEqual([fast.traceId, slow.traceId]);
    expect(await page.$$eval('circle.dot', (d) => d.map((x) => x.getAttribute('data-trace-id')))).toHaveLength(2);
    expect(await page.textContent('.results-table tbody tr:nth-child(2)')).toContain('1.00s');
    await shot(page, '01-search');
  });

  it('filters by an attribute whose value has spaces and =', async () => {
    await page.goto(`${base}/search`);
    await page.fill('input[name=service]', 'kata-agent');
    await page.fill('input[name=operation]', 'CreateContainer');
    await page.fill('textarea[name=tags]', 'note="<img src=x onerror=\\"window.__pwned=1\\"><script>window.__pwned=2</script>"\nsandbox.id=sb-1 with spaces=and equals');
    await page.fill('input[name=minDuration]', '500ms');
    await page.click('button[type=submit]');
    await page.waitForSelector('.results-table tbody tr');
    expect(await page.$$eval('.results-table tbody tr', (r) => r.length)).toBe(1);
    expect(page.url()).toContain('minDuration=500ms');
    expect(await page.textContent('.results-table tbody')).toContain(slow.traceId);
  });
});

describe('trace view', () => {
  it('shows the tree, header and durations', async () => {
    await page.goto(`${base}/trace/${slow.traceId}`);
    await page.waitForSelector('.wf-row');
    expect(await rowNames(page)).toEqual([
      'rootSpan', 'createSandbox', 'startVM', 'init', 'healthCheck', 'createContainer', 'prefetch', 'CreateContainer', 'pullImage', 'mountRootfs', 'mountRootfs', 'startContainer',
    ]);
    const header = await page.textContent('.trace-header');
    expect(header).toContain('containerd');
    expect(header).toContain('rootSpan');
    expect(header).toMatch(/Duration\s*1\.00s/);
    expect(header).toMatch(/Spans\s*12/);
    expect(header).toMatch(/Depth\s*4/);
    expect(header).toMatch(/Errors\s*1/);
    const pull = page.locator(row('pullImage'));
    expect(await pull.locator('.bar-label').textContent()).toBe('370ms');
  });

  it('highlights the critical path', async () => {
    const crit = await page.$$eval('.wf-row.crit', (rows) => rows.map((r) => r.querySelector('.wf-op')!.textContent));
    expect(crit).toEqual(['rootSpan', 'createSandbox', 'startVM', 'init', 'createContainer', 'CreateContainer', 'pullImage', 'mountRootfs', 'mountRootfs', 'startContainer']);
    // Parallel work that nothing waited on stays off the path.
    expect(crit).not.toContain('healthCheck');
    expect(crit).not.toContain('prefetch');
  });

  it('shows span detail with typed attributes, and HTML in values as inert text', async () => {
    await page.click(row('CreateContainer'));
    await page.waitForSelector('.detail .kv');
    const note = await page.locator('.detail .kv tr', { hasText: 'note' }).locator('.v').textContent();
    expect(note).toBe('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    expect(await page.$$('.detail img')).toHaveLength(0);
    expect(await page.$$('.detail script')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('.detail')).toContain('ERROR: image pull took too long');
    expect(page.url()).toContain(`span=${slow.ids.CreateContainer}`);
    await page.click(row('startVM'));
    await page.waitForSelector('.detail .events li');
    const vcpus = page.locator('.detail .kv tr', { hasText: 'vcpus' });
    expect(await vcpus.locator('.type').textContent()).toBe('int');
    expect(await page.locator('.detail .kv tr', { hasText: 'memory.mb' }).locator('.type').textContent()).toBe('double');
    expect(await page.textContent('.detail .events')).toContain('+70.0ms');
    expect(await page.textContent('.detail .events')).toContain('vm booted');
    await shot(page, '02-trace-timeline');
  });

  it('opens a deep link to a span with that span selected', async () => {
    await page.goto(`${base}/trace/${slow.traceId}?span=${slow.ids.pullImage}`);
    await page.waitForSelector('.detail h3');
    expect(await page.textContent('.detail h3')).toBe('pullImage');
    expect(await page.textContent('.wf-row.selected .wf-op')).toBe('pullImage');
  });

  it('moves and folds with the keyboard', async () => {
    await page.focus('.wf-scroll');
    await page.keyboard.press('ArrowUp');
    expect(await page.textContent('.wf-row.selected .wf-op')).toBe('CreateContainer');
    await page.keyboard.press('ArrowLeft');
    expect(await rowNames(page)).not.toContain('pullImage');
    await page.keyboard.press('ArrowRight');
    expect(await rowNames(page)).toContain('pullImage');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.textContent('.wf-row.selected .wf-op')).toBe('createContainer');
  });

  it('ranks hot spots by self time and highlights a row\'s spans', async () => {
    await page.click('button[role=tab]:has-text("Hot spots")');
    await page.waitForSelector('table.hot tbody tr');
    const rows = await page.$$eval('table.hot tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows.map((r) => r[1])).toEqual(['pullImage', 'prefetch', 'init', 'startVM', 'CreateContainer', 'mountRootfs', 'healthCheck', 'rootSpan', 'startContainer', 'createContainer', 'createSandbox']);
    expect(rows[0]!.slice(2, 5)).toEqual(['1', '370ms', '370ms']);
    expect(rows[0]![5]).toContain('37%');
    await shot(page, '03-hot-spots');
    await page.click('table.hot tbody tr:has(td:text-is("mountRootfs"))');
    await page.waitForSelector('.wf-row.highlight');
    expect(await page.$$eval('.wf-row.highlight .wf-op', (e) => e.map((x) => x.textContent))).toEqual(['mountRootfs', 'mountRootfs']);
  });

  it('finds spans by attribute', async () => {
    await page.fill('#find', 'hypervisor=qemu');
    await page.waitForSelector('.find-count:has-text("1 matches")');
    expect(await page.$$eval('.wf-row.highlight .wf-op', (e) => e.map((x) => x.textContent))).toEqual(['startVM']);
  });

  it('draws a flame graph and the raw JSON', async () => {
    await page.click('button[role=tab]:has-text("Flame graph")');
    await page.waitForSelector('.flame canvas');
    const box = (await page.locator('.flame canvas').boundingBox())!;
    expect(box.height).toBe(4 * 20);
    await shot(page, '04-flame');
    await page.click('button[role=tab]:has-text("JSON")');
    await page.waitForSelector('pre.json');
    expect(await page.textContent('pre.json')).toContain('"resourceSpans"');
    await page.click('.seg button:has-text("Jaeger JSON")');
    await page.waitForFunction(() => document.querySelector('pre.json')?.textContent?.includes('"processes"'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download Jaeger JSON")')]);
    expect(download.suggestedFilename()).toBe(`trace-${slow.traceId}-jaeger.json`);
  });

  it('says when a trace is not found or the id is bad', async () => {
    await page.goto(`${base}/trace/${'f'.repeat(32)}`);
    await page.waitForSelector('.state.error');
    expect(await page.textContent('.state.error h2')).toBe('Trace not found');
    await page.goto(`${base}/trace/not-an-id`);
    await page.waitForSelector('.state.error');
    expect(await page.textContent('.state.error h2')).toBe('Not a trace ID');
  });
});

describe('compare, dependencies, themes', () => {
  it('compare shows the planted difference', async () => {
    await page.goto(`${base}/compare?a=${slow.traceId}&b=${fast.traceId}`);
    await page.waitForSelector('table.compare tbody tr');
    const cmpRow = (op: string) => page.locator(`table.compare tbody tr:has(td span:text-is("${op}"))`);
    expect(await cmpRow('pullImage').getAttribute('data-change')).toBe('removed');
    expect(await cmpRow('mountRootfs').getAttribute('data-change')).toBe('changed');
    expect(await cmpRow('mountRootfs').locator('td').nth(1).textContent()).toBe('2');
    expect(await cmpRow('rootSpan').locator('td').nth(5).textContent()).toBe('-500ms');
    await shot(page, '05-compare');
  });

  it('dependency graph shows the planted edges', async () => {
    await page.goto(`${base}/dependencies?lookback=1h`);
    await page.waitForSelector('g.node');
    const edges = await page.$$eval('g.edge', (e) => e.map((x) => x.getAttribute('data-edge')).sort());
    expect(edges).toEqual(['containerd->kata-runtime', 'kata-runtime->kata-agent']);
    // Per trace: containerd calls the runtime 3 times, the runtime calls the agent twice.
    expect(await page.textContent('g.edge[data-edge="containerd->kata-runtime"]')).toContain('6 calls');
    expect(await page.textContent('g.edge[data-edge="kata-runtime->kata-agent"]')).toContain('4 calls');
    await shot(page, '06-dependencies');
  });

  it('dark theme', async () => {
    await page.goto(`${base}/trace/${slow.traceId}?span=${slow.ids.startVM}`);
    await page.waitForSelector('.detail h3');
    await page.click('button[aria-label="Toggle theme"]');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await shot(page, '07-trace-dark');
    await page.click('button[aria-label="Toggle theme"]');
  });

  it('says when the server is unreachable', async () => {
    await page.route('**/api/**', (r) => r.abort());
    await page.goto(`${base}/search`);
    await page.waitForSelector('.state.error');
    expect(await page.textContent('.state.error')).toContain('Cannot reach the Skein server');
    await page.unroute('**/api/**');
  });
});
