/** Browser tests (headless Chromium) of the search page and its empty and error states. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, go, type Session } from './support/session.js';
import { shot } from './support/shots.js';
import { startUiServer } from './support/server.js';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(() => s?.close());

describe('search', () => {
  it('finds both traces newest first, with a scatter dot each', async () => {
    await go(s.page, `/search?service=containerd&lookback=1h&limit=20`);
    await s.page.waitForSelector('.results-table tbody tr');
    const ids = await s.page.$$eval('.results-table tbody tr .mono', (els) => els.map((e) => e.textContent));
    expect(ids).toEqual([s.fast.traceId, s.slow.traceId]);
    expect(await s.page.$$eval('circle.dot', (d) => d.map((x) => x.getAttribute('data-trace-id')))).toHaveLength(2);
    expect(await s.page.textContent('.results-table tbody tr:nth-child(2)')).toContain('1.00s');
    await shot(s.page, '01-search');
  });

  it('filters by an attribute whose value has spaces and =', async () => {
    await go(s.page, `/search`);
    await s.page.fill('input[name=service]', 'kata-agent');
    await s.page.fill('input[name=operation]', 'CreateContainer');
    await s.page.fill('textarea[name=tags]', 'note="<img src=x onerror=\\"window.__pwned=1\\"><script>window.__pwned=2</script>"\nsandbox.id=sb-1 with spaces=and equals');
    await s.page.fill('input[name=minDuration]', '500ms');
    await s.page.click('button[type=submit]');
    await s.page.waitForSelector('.results-table tbody tr');
    expect(await s.page.$$eval('.results-table tbody tr', (r) => r.length)).toBe(1);
    expect(s.page.url()).toContain('minDuration=500ms');
    expect(await s.page.textContent('.results-table tbody')).toContain(s.slow.traceId);
  });

  it('says when a trace is not found or the id is bad', async () => {
    await go(s.page, `/trace/${'f'.repeat(32)}`);
    await s.page.waitForSelector('.state.error');
    expect(await s.page.textContent('.state.error h2')).toBe('Trace not found');
    await go(s.page, `/trace/not-an-id`);
    await s.page.waitForSelector('.state.error h2:text-is("Not a trace ID")');
    expect(await s.page.textContent('.state.error p')).toContain('expected 16 or 32 hex digits');
  });

  it('says when the server is unreachable', async () => {
    await s.page.route('**/api/**', (r) => r.abort());
    await go(s.page, `/search`);
    await s.page.waitForSelector('.state.error h2:text-is("The Skein server does not answer")');
    expect(await s.page.textContent('.state.error')).toContain('Cannot reach the Skein server');
    await shot(s.page, '08-server-down');
    await s.page.unroute('**/api/**');
  });

  it('tells a new user where this server takes spans', async () => {
    const empty = await startUiServer();
    try {
      await s.page.goto(`http://${empty.httpAddress}/search`);
      await s.page.waitForSelector('.state h2:text-is("No traces stored yet")');
      const codes = await s.page.$$eval('.state code.send-to', (c) => c.map((x) => x.textContent));
      // its own ephemeral ports, not the defaults
      expect(codes).toEqual([`http://${empty.addresses.otlpHttp}`, empty.addresses.otlpGrpc]);
      await shot(s.page, '11-empty');
    } finally {
      // leaves the page on a fresh load of the session's server (other tests navigate in-app from there)
      await s.page.goto(`${s.base}/search`);
      await empty.close();
    }
  });
});
