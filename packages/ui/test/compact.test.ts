/** Browser tests of how the trace page loads: compact columns from /api/skein, OTLP JSON when a server lacks them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, row, rowNames, type Session } from './support/session.js';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(() => s?.close());

const TREE = ['rootSpan', 'createSandbox', 'startVM', 'init', 'healthCheck', 'createContainer', 'CreateContainer', 'pullImage', 'mountRootfs', 'mountRootfs', 'prefetch', 'startContainer'];

describe('trace loading', () => {
  it('opens a deep link from the compact endpoint and fetches span detail on demand', async () => {
    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => asked.push(new URL(r.url()).pathname);
    s.browser.context.on('request', onRequest);
    try {
      await s.page.goto(`${s.base}/trace/${s.slow.traceId}`);
      await s.page.waitForSelector('.wf-row');
      expect(await rowNames(s.page)).toEqual(TREE);
      await s.page.click(row('pullImage'));
      await s.page.waitForSelector('.detail .kv');
      expect(await s.page.textContent('.detail')).toContain(s.slow.ids.pullImage!);
    } finally {
      s.browser.context.off('request', onRequest);
    }
    expect(asked).toContain(`/api/skein/traces/${s.slow.traceId}`);
    expect(asked).toContain(`/api/skein/traces/${s.slow.traceId}/spans/${s.slow.ids.pullImage}`);
    // The 12-span trace never needed the full OTLP JSON.
    expect(asked).not.toContain(`/api/v3/traces/${s.slow.traceId}`);
  });

  it('falls back to OTLP JSON when the server has no compact endpoint', async () => {
    let refused = 0;
    // What an older server (or a plain Jaeger API) answers for a path it does not know.
    await s.browser.context.route('**/api/skein/**', (route) => {
      refused++;
      return route.fulfill({ status: 404, contentType: 'application/json', body: '{"data":null,"errors":[{"code":404,"msg":"no such endpoint"}]}' });
    });
    try {
      await s.page.goto(`${s.base}/trace/${s.fast.traceId}`);
      await s.page.waitForSelector('.wf-row');
      expect((await rowNames(s.page))[0]).toBe('rootSpan');
      await s.page.click(row('createSandbox'));
      await s.page.waitForSelector('.detail .kv');
      expect(await s.page.textContent('.detail')).toContain(s.fast.ids.createSandbox!);
    } finally {
      await s.browser.context.unroute('**/api/skein/**');
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('says a trace is not found through the compact endpoint', async () => {
    await s.page.goto(`${s.base}/trace/${'ab'.repeat(16)}`);
    await s.page.waitForSelector('.state.error');
    expect(await s.page.textContent('.state.error h2')).toBe('Trace not found');
    expect(await s.page.textContent('.state.error')).toContain('no spans are stored');
  });
});
