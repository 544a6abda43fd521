/** One browser-test session: a server holding a slow and a fast Kata start-up trace, and a page. */
import type { Page } from 'playwright-core';
import { startUiServer, type UiServer } from './server.js';
import { launchBrowser, type Browser } from './browser.js';
import { kataStartup, sendTrace, type SentTrace } from './otel.js';

export interface Session {
  server: UiServer;
  browser: Browser;
  page: Page;
  base: string;
  slow: SentTrace;
  fast: SentTrace;
  close(): Promise<void>;
}

export async function openSession(): Promise<Session> {
  const [server, browser] = await Promise.all([startUiServer(), launchBrowser()]);
  const slow = await sendTrace(server.addresses.otlpHttp!, kataStartup({ slow: true }), Date.now() - 60_000);
  const fast = await sendTrace(server.addresses.otlpHttp!, kataStartup({ slow: false }), Date.now() - 30_000);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => console.error('page error:', e));
  const base = `http://${server.httpAddress}`;
  await page.goto(`${base}/search`);
  return {
    server, browser, page, base, slow, fast,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Client-side navigation (what an in-app link does): no reload, so tests stay quick. */
export async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    window.dispatchEvent(new Event('skein:navigate'));
  }, path);
}

/** The timeline row whose operation is exactly `op` (has-text would also match other case). */
export const row = (op: string) => `.wf-row:has(.wf-op:text-is("${op}"))`;

export const rowNames = (p: Page) => p.$$eval('.wf-row', (rows) => rows.map((r) => r.querySelector('.wf-op')!.textContent));
