/**
 * UI benchmark: opens generated traces of 1k, 10k and 100k spans in headless Chromium and
 * measures, from navigation start, when the first timeline rows are painted and when the page
 * answers input (a click that opens span detail, then a scroll to the middle of the trace).
 *
 * The traces are written to a MemoryStore and served by the real query router (the UI asks for
 * `/api/skein/traces/{id}`, compact columns, and falls back to OTLP JSON from `/api/v3/traces/{id}`),
 * so the figures include the server's conversion; that conversion is also timed alone and printed
 * as its own row. The store's trace-by-id time is measured by `bench store`.
 * SKEIN_UI_BENCH_PATH=otlp hides the compact endpoint, which measures the OTLP JSON fallback.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { decodeOtlpJson } from '../packages/model/src/index.js';
import { MemoryStore } from '../packages/server/src/store/memory/index.js';
import { createQueryRouter } from '../packages/server/src/query/router.js';
import { encodeSkeinTraceChunks } from '../packages/server/src/query/skein.js';

const UI = fileURLToPath(new URL('../packages/ui/', import.meta.url));
/** SKEIN_UI_DIST points at another build of the UI (to compare two builds with one harness). */
const DIST = process.env.SKEIN_UI_DIST ?? join(UI, 'dist');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SERVICES = ['containerd', 'kata-runtime', 'kata-agent', 'virtiofsd', 'qemu', 'cri-o', 'kubelet', 'image-service'];
const OPS = ['CreateSandbox', 'StartVM', 'CreateContainer', 'StartContainer', 'mount', 'pullImage', 'exec', 'grpc.call', 'wait', 'copyFile', 'setupNetwork', 'hotplugDevice'];

/** Deterministic pseudo-random numbers so every run opens the same traces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * OTLP JSON for one trace of n spans: a bushy tree (2-8 children), children inside their parent.
 * `lean` leaves out attributes and events (a 1M-span trace must stay under V8's string limit).
 */
export function generateTrace(n: number, seed = 1, lean = false): { traceId: string; json: string } {
  const rand = rng(seed);
  const hex = (len: number) => Array.from({ length: len }, () => Math.floor(rand() * 16).toString(16)).join('');
  const traceId = hex(32);
  const base = BigInt(Date.now() - 60_000) * 1_000_000n;
  const bySvc: unknown[][] = SERVICES.map(() => []);
  interface Node { id: string; start: number; end: number; depth: number }
  const queue: Node[] = [];
  const emit = (parent: Node | null, start: number, end: number, depth: number) => {
    const id = hex(16);
    const svc = Math.min(SERVICES.length - 1, depth + Math.floor(rand() * 2));
    bySvc[svc]!.push({
      traceId, spanId: id, ...(parent ? { parentSpanId: parent.id } : {}),
      name: OPS[Math.floor(rand() * OPS.length)], kind: parent ? 1 : 2,
      startTimeUnixNano: (base + BigInt(Math.round(start))).toString(), endTimeUnixNano: (base + BigInt(Math.round(end))).toString(),
      ...(lean ? {} : {
        attributes: [
          { key: 'sandbox.id', value: { stringValue: `sb-${depth}-${id.slice(0, 6)}` } },
          { key: 'retry', value: { intValue: String(Math.floor(rand() * 3)) } },
          { key: 'ok', value: { boolValue: rand() > 0.02 } },
        ],
        events: rand() < 0.1 ? [{ timeUnixNano: (base + BigInt(Math.round((start + end) / 2))).toString(), name: 'checkpoint', attributes: [] }] : [],
      }),
      status: { code: rand() < 0.01 ? 2 : 0 },
    });
    queue.push({ id, start, end, depth });
  };
  emit(null, 0, 30e9, 0);
  let made = 1;
  for (let q = 0; made < n; q++) {
    const p = queue[q]!;
    const kids = Math.min(n - made, 2 + Math.floor(rand() * 7));
    const slot = (p.end - p.start) / kids;
    for (let k = 0; k < kids; k++) {
      const s = p.start + k * slot + rand() * slot * 0.2;
      emit(p, s, s + slot * (0.3 + rand() * 0.6), p.depth + 1);
    }
    made += kids;
  }
  const resourceSpans = SERVICES.map((s, i) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: s } }] },
    scopeSpans: [{ scope: { name: 'bench' }, spans: bySvc[i] }],
  })).filter((rs) => rs.scopeSpans[0]!.spans!.length > 0);
  return { traceId, json: JSON.stringify({ result: { resourceSpans } }) };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const LEGACY = process.env.SKEIN_UI_BENCH_PATH === 'otlp';

function serve(store: MemoryStore): Promise<Server> {
  const query = createQueryRouter({ reader: store });
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const hidden = LEGACY && path.startsWith('/api/skein/');
    if (!hidden && (await query(req, res))) return;
    if (path.startsWith('/api/')) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"data":null}');
    let file = normalize(join(DIST, path));
    if (!file.startsWith(DIST) || !existsSync(file) || path === '/' || !extname(path)) file = join(DIST, 'index.html');
    void stat(file).then((st) => {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': st.size });
      createReadStream(file).pipe(res);
    });
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs in the page before its scripts: timestamps for first rows painted, input handled, scroll. */
const PROBE = `
window.__bench = { longest: 0 };
try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bench.longest = Math.max(window.__bench.longest, e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {}
const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
const waitFor = (test, fn) => { if (test()) return fn(); const mo = new MutationObserver(() => { if (test()) { mo.disconnect(); fn(); } }); mo.observe(document, { childList: true, subtree: true }); };
waitFor(() => document.querySelector('.wf-row'), () => afterPaint(() => {
  const b = window.__bench;
  b.firstPaint = performance.now();
  const rows = document.querySelectorAll('.wf-row');
  const target = rows[Math.min(2, rows.length - 1)];
  const clickAt = performance.now();
  target.click();
  waitFor(() => document.querySelector('.detail .facts'), () => afterPaint(() => {
    b.interactive = performance.now();
    b.clickToDetail = b.interactive - clickAt;
    const box = document.querySelector('.wf-scroll');
    // The middle of the rows (a collapsed 1M-span trace may have too few rows to scroll at all).
    const want = Math.max(0, Math.min(Math.floor(box.scrollHeight / 2), box.scrollHeight - box.clientHeight));
    const t0 = performance.now();
    box.scrollTop = want;
    box.dispatchEvent(new Event('scroll'));
    waitFor(() => [...document.querySelectorAll('.wf-row')].some((r) => { const top = parseFloat(r.style.top); return top >= want - 24 && top < want + box.clientHeight; }), () => afterPaint(() => {
      b.scroll = performance.now() - t0;
      b.done = true;
    }));
  }));
}));
`;

/** Sizes to open; SKEIN_UI_BENCH_1M=1 adds a lean 1,000,000-span trace (opens collapsed). */
const DEFAULT_SIZES = process.env.SKEIN_UI_BENCH_1M === '1' ? [1_000, 10_000, 100_000, 1_000_000] : [1_000, 10_000, 100_000];

export async function benchUi(sizes = DEFAULT_SIZES): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  if (!existsSync(join(DIST, 'index.html'))) {
    execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'error'], { cwd: UI, stdio: 'inherit' });
  }
  const store = new MemoryStore();
  const ids: Array<{ n: number; id: string; mb: number }> = [];
  for (const [i, n] of sizes.entries()) {
    const t = generateTrace(n, i + 1, n >= 500_000);
    const spans = decodeOtlpJson((JSON.parse(t.json) as { result: unknown }).result).spans;
    await store.write(spans);
    ids.push({ n, id: t.traceId, mb: t.json.length / 1e6 });
  }
  const server = await serve(store);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'skein-bench-ui-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: { width: 1440, height: 900 } });
  const rows: Array<{ name: string; value: number; unit: string; note?: string }> = [];
  try {
    // Baseline in the same run: the app shell alone (search page, empty API) to first contentful paint.
    const shell = await context.newPage();
    await shell.goto(`${base}/search`);
    await shell.waitForSelector('.search-form');
    const fcp = Number(await shell.evaluate("new Promise((r) => new PerformanceObserver((l) => { const e = l.getEntries().find((x) => x.name === 'first-contentful-paint'); if (e) r(e.startTime); }).observe({ type: 'paint', buffered: true }))"));
    rows.push({ name: 'ui app shell: first paint', value: fcp, unit: 'ms', note: 'baseline: search page first contentful paint, no trace (same browser, same run)' });
    await shell.close();
    await context.addInitScript(PROBE);
    for (const t of ids) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      if (process.env.SKEIN_UI_BENCH_LOG) page.on('console', (m) => console.log(`  page: ${m.text()}`));
      await page.goto(`${base}/trace/${t.id}`);
      try {
        await page.waitForFunction('window.__bench && window.__bench.done === true', undefined, { timeout: 120_000, polling: 100 });
      } catch (err) {
        const state = await page.evaluate('JSON.stringify(window.__bench)').catch(() => '?');
        throw new Error(`the ${t.n}-span trace did not finish loading: probe ${String(state)}; page errors: ${errors.join(' | ') || 'none'}`, { cause: err });
      }
      const b = (await page.evaluate('window.__bench')) as { firstPaint: number; interactive: number; clickToDetail: number; scroll: number; longest: number };
      const k = `${t.n / 1000}k spans`;
      if (!LEGACY) {
        // The server's share: read the trace from the store and encode the compact columns.
        const t0 = performance.now();
        const body = encodeSkeinTraceChunks(await store.getTrace(t.id));
        const ms = performance.now() - t0;
        rows.push({ name: `ui ${k}: server compact`, value: ms, unit: 'ms', note: `store read + compact encode in this process (${((body[0].length + body[1].length) / 1e6).toFixed(1)} MB body vs ${t.mb.toFixed(1)} MB OTLP JSON)` });
      }
      rows.push(
        { name: `ui ${k}: first paint`, value: b.firstPaint, unit: 'ms', note: `timeline rows painted, from navigation start (${LEGACY ? `${t.mb.toFixed(1)} MB OTLP JSON` : 'compact columns'}${t.n >= 500_000 ? ', no attributes' : ''})${t.n === 100_000 ? '; target <= 2000 ms' : ''}` },
        { name: `ui ${k}: interactive`, value: b.interactive, unit: 'ms', note: `a click issued at first paint has opened span detail (click to detail ${b.clickToDetail.toFixed(0)} ms)` },
        { name: `ui ${k}: scroll to middle`, value: b.scroll, unit: 'ms', note: `rows at the new position painted; longest main-thread task ${b.longest.toFixed(0)} ms` },
      );
      if (process.env.SKEIN_UI_BENCH_SHOTS) await page.screenshot({ path: join(process.env.SKEIN_UI_BENCH_SHOTS, `bench-${t.n}.png`) });
      await page.close();
    }
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
    server.close();
  }
  return rows;
}

// `npx tsx bench/ui.ts [sizes...]` runs this benchmark alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  void benchUi(sizes.length ? sizes : undefined).then((rows) => {
    for (const r of rows) console.log(`${r.name.padEnd(32)} ${r.value.toFixed(0).padStart(7)} ${r.unit}  ${r.note ?? ''}`);
  });
}
