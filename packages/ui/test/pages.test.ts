/** Browser tests of compare, dependencies and open-file pages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, go, type Session } from './support/session.js';
import { SpanKind } from '@opentelemetry/api';
import { sendTrace } from './support/otel.js';
import { shot } from './support/shots.js';

let s: Session;
beforeAll(async () => {
  s = await openSession();
});
afterAll(() => s?.close());

describe('compare and dependencies', () => {
  it('compare shows the planted difference', async () => {
    await go(s.page, `/compare?a=${s.slow.traceId}&b=${s.fast.traceId}`);
    await s.page.waitForSelector('table.compare tbody tr');
    const cmpRow = (op: string) => s.page.locator(`table.compare tbody tr:has(td span:text-is("${op}"))`);
    expect(await cmpRow('pullImage').getAttribute('data-change')).toBe('removed');
    expect(await cmpRow('mountRootfs').getAttribute('data-change')).toBe('changed');
    expect(await cmpRow('mountRootfs').locator('td').nth(1).textContent()).toBe('2');
    expect(await cmpRow('rootSpan').locator('td').nth(5).textContent()).toBe('-500ms');
    await shot(s.page, '05-compare');
  });

  it('dependency graph shows the planted edges', async () => {
    await go(s.page, `/dependencies?lookback=1h`);
    await s.page.waitForSelector('g.node');
    const edges = await s.page.$$eval('g.edge', (e) => e.map((x) => x.getAttribute('data-edge')).sort());
    expect(edges).toEqual(['containerd->kata-runtime', 'kata-runtime->kata-agent']);
    // Per trace: containerd calls the runtime 3 times, the runtime calls the agent twice.
    expect(await s.page.textContent('text.edge-label[data-edge="containerd->kata-runtime"]')).toBe('6 calls');
    // The slow trace's CreateContainer failed: one error on that call, shown on the edge and in the table.
    expect(await s.page.textContent('text.edge-label[data-edge="kata-runtime->kata-agent"]')).toBe('4 calls · 1 error');
    expect(await s.page.getAttribute('g.edge[data-edge="kata-runtime->kata-agent"]', 'class')).toContain('err');
    await shot(s.page, '06-dependencies');
  });



  it('renders a dropped OTLP JSON file, and imports it', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const doc = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'file-svc' } }] },
        scopeSpans: [{
          spans: [
            { traceId, spanId: '00f067aa0ba902b7', name: 'from-file', kind: 2, startTimeUnixNano: String(BigInt(Date.now() - 10_000) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now() - 9_000) * 1_000_000n), attributes: [{ key: 'html', value: { stringValue: '<b onmouseover=alert(1)>bold</b>' } }] },
            { traceId, spanId: '00f067aa0ba902b8', parentSpanId: '00f067aa0ba902b7', name: 'child-op', startTimeUnixNano: String(BigInt(Date.now() - 9_900) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now() - 9_500) * 1_000_000n) },
          ],
        }],
      }],
    };
    await go(s.page, '/open');
    await s.page.waitForSelector('.dropzone');
    await s.page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'startup.otlp.json', { type: 'application/json' }));
      document.querySelector('.dropzone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, JSON.stringify(doc));
    await s.page.waitForSelector('.open-page .results-table tbody tr');
    expect(await s.page.textContent('.open-page .pill')).toBe('otlp-json');
    expect(await s.page.textContent('.open-page .results-table tbody')).toContain('from-file');
    await shot(s.page, '09-open-file');
    await s.page.click('.open-page .trace-link');
    await s.page.waitForSelector('.wf-row:has(.wf-op:text-is("child-op"))');
    expect(await s.page.textContent('.trace-header')).toContain('from file');
    await s.page.click('.wf-row:has(.wf-op:text-is("from-file"))');
    await s.page.waitForSelector('.detail .kv');
    expect(await s.page.locator('.detail .kv tr', { hasText: 'html' }).locator('.v').textContent()).toBe('<b onmouseover=alert(1)>bold</b>');
    expect(await s.page.$$('.detail b[onmouseover]')).toHaveLength(0);
    await s.page.goBack();
    await s.page.click('button:has-text("Import into Skein")');
    await s.page.waitForSelector('text=Imported 1 trace into Skein');
    const res = await fetch(`${s.base}/api/traces/${traceId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { spans: unknown[] }[] };
    expect(body.data[0]!.spans).toHaveLength(2);
  });

  it('opens Jaeger and Zipkin files and names a bad one', async () => {
    const jaeger = { data: [{ traceID: 'ab'.repeat(16), spans: [{ traceID: 'ab'.repeat(16), spanID: 'cd'.repeat(8), operationName: 'jaeger-op', references: [], startTime: 1_700_000_000_000_000, duration: 1000, tags: [], processID: 'p1' }], processes: { p1: { serviceName: 'jaeger-svc', tags: [] } } }] };
    const zipkin = [{ traceId: '463ac35c9f6413ad', id: '463ac35c9f6413ad', name: 'zipkin-op', timestamp: 1_700_000_000_000_000, duration: 5, localEndpoint: { serviceName: 'zipkin-svc' } }];
    await s.page.setInputFiles('input[data-testid=file-input]', [
      { name: 'jaeger.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(jaeger)) },
      { name: 'zipkin.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(zipkin)) },
    ]);
    await s.page.waitForSelector('.panel:has-text("zipkin.json") .pill');
    const pills = await s.page.$$eval('.open-page .panel .table-bar', (bars) => bars.map((b) => b.textContent));
    expect(pills.some((p) => p!.includes('jaeger.json') && p!.includes('jaeger-json'))).toBe(true);
    expect(pills.some((p) => p!.includes('zipkin.json') && p!.includes('zipkin-json'))).toBe(true);
    await s.page.setInputFiles('input[data-testid=file-input]', [{ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') }]);
    await s.page.waitForSelector('.form-error');
    expect(await s.page.textContent('.form-error')).toContain('bad.json: not a trace format');
  });
  it('a dense dependency graph labels only the hovered service\'s edges; every edge has a tooltip', async () => {
    // a hub calling 12 services: with the Kata edges, more than the graph labels at once
    const spokes = Array.from({ length: 12 }, (_, i) => ({ service: `spoke-${i}`, name: `work-${i}`, start: 10 + i, end: 20 + i }));
    await sendTrace(s.server.addresses.otlpHttp!, { service: 'hub', name: 'fan-out', start: 0, end: 100, children: spokes });
    await go(s.page, '/');
    await go(s.page, '/dependencies?lookback=1h');
    await s.page.waitForSelector('g.edge[data-edge="hub->spoke-11"]');
    expect(await s.page.$$('g.edge')).toHaveLength(14);
    expect(await s.page.$$('text.edge-label')).toHaveLength(0);
    expect(await s.page.textContent('g.edge[data-edge="hub->spoke-3"] title')).toBe('hub → spoke-3: 1 call');
    await s.page.hover('g.node[data-service="kata-runtime"]');
    const labels = await s.page.$$eval('text.edge-label', (ts) => ts.map((t) => t.textContent).sort());
    expect(labels).toEqual(['4 calls · 1 error', '6 calls']);
    await shot(s.page, '10-dependencies-dense');
  });
});

describe('monitor', () => {
  it('charts a service\'s latency, rate and errors, and ranks its operations', async () => {
    const otlp = s.server.addresses.otlpHttp!;
    // server spans: checkout 100-400 ms (the slowest failed), health 10 and 20 ms; one internal span
    const base = Date.now() - 120_000;
    const checkouts = [100, 200, 300, 400].map((ms, i) =>
      sendTrace(otlp, { service: 'monitor-svc', name: 'checkout', kind: SpanKind.SERVER, start: 0, end: ms, error: ms === 400 ? 'card declined' : undefined }, base + i * 1000),
    );
    const sends: Promise<unknown>[] = [...checkouts];
    sends.push(...[10, 20].map((ms, i) => sendTrace(otlp, { service: 'monitor-svc', name: 'health', kind: SpanKind.SERVER, start: 0, end: ms }, base + 5000 + i * 1000)));
    sends.push(sendTrace(otlp, { service: 'monitor-svc', name: 'flush-cache', kind: SpanKind.INTERNAL, start: 0, end: 50 }, base + 8000));
    await Promise.all(sends);

    await go(s.page, '/monitor?service=monitor-svc&kind=server&lookback=1h');
    await s.page.waitForSelector('table.ops-table tbody tr');
    const ops = () => s.page.$$eval('table.ops-table tbody tr', (rs) => rs.map((r) => r.getAttribute('data-operation')));
    expect(await ops()).toEqual(['checkout', 'health']); // by impact: p95 x rate
    const cell = (op: string, col: string) => s.page.textContent(`tr[data-operation="${op}"] td[data-col="${col}"]`);
    expect(await cell('checkout', 'p50')).toBe('250ms'); // linear between 200 and 300
    expect(await cell('checkout', 'p99')).toBe('397ms');
    expect(await cell('checkout', 'errors')).toBe('25%');
    expect(await cell('health', 'p50')).toBe('15.0ms');
    expect(await cell('health', 'errors')).toBe('0%');
    expect(await cell('checkout', 'rate')).toBe('4/h'); // 4 calls in an hour
    expect(await cell('health', 'rate')).toBe('2/h');
    // each chart drew its lines from the series
    for (const series of ['p50', 'p95', 'p99', 'requests', 'errors']) {
      expect(await s.page.getAttribute(`g.series[data-series="${series}"] path`, 'd')).toMatch(/^M/);
    }
    await shot(s.page, '11-monitor');

    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => void asked.push(r.url());
    s.page.on('request', onRequest);
    const tableEl = await s.page.$('table.ops-table');
    await s.page.click('tr[data-operation="health"]');
    await s.page.waitForSelector('.op-filter');
    await s.page.waitForSelector('.charts:not(.stale)');
    expect(await tableEl!.evaluate((e) => e.isConnected)).toBe(true); // the table stays; only the charts reload
    s.page.off('request', onRequest);
    // the charts ask for that operation's series only, not every operation's
    expect(asked.filter((u) => u.includes('/api/metrics/') && u.includes('groupByOperation=true') && u.includes('step=30000')).every((u) => new URL(u).searchParams.get('operation') === 'health')).toBe(true);
    expect(asked.some((u) => new URL(u).searchParams.get('operation') === 'health')).toBe(true);
    expect(new URL(s.page.url()).searchParams.get('operation')).toBe('health');
    expect(await s.page.textContent('.monitor-what')).toContain('monitor-svc: health');
    await s.page.click('.op-filter .pill-x');
    await s.page.waitForSelector('.op-filter', { state: 'detached' });

    await s.page.selectOption('select[aria-label="Span kind"]', '');
    await s.page.waitForSelector('tr[data-operation="flush-cache"]');
    expect((await ops()).sort()).toEqual(['checkout', 'flush-cache', 'health']);
    await s.page.selectOption('select[aria-label="Span kind"]', 'producer');
    await s.page.waitForSelector('text=No producer spans from monitor-svc in this range');

    // a service that names spans by id: the table shows the busiest 100 until asked for all
    const many = Array.from({ length: 105 }, (_, i) => ({ service: 'many-ops', name: `GET /item/${i}`, kind: SpanKind.SERVER, start: 1 + i, end: 2 + i + (i % 7) }));
    await sendTrace(otlp, { service: 'many-ops', name: 'batch', kind: SpanKind.SERVER, start: 0, end: 200, children: many }, base);
    await go(s.page, '/monitor?service=many-ops&lookback=1h');
    await s.page.waitForSelector('button:has-text("Show all 106 operations")');
    expect(await s.page.$$('table.ops-table tbody tr')).toHaveLength(100);
    await s.page.click('button:has-text("Show all 106 operations")');
    expect(await s.page.$$('table.ops-table tbody tr')).toHaveLength(106);

    // a span's detail compares it with its operation over the hour before the trace began
    const slowest = await checkouts[3]!;
    await go(s.page, `/trace/${slowest.traceId}?span=${slowest.ids.checkout}`);
    await s.page.waitForSelector('.detail .typical');
    const typical = await s.page.textContent('.detail .typical');
    expect(typical).toContain('p50 200ms · p95 290ms'); // 100, 200 and 300 ms before it
    expect(typical).toContain('slower than p95');
    expect(typical).toContain('3 calls in the hour before this trace');
    await s.page.click('.detail .typical a:text-is("Monitor")');
    await s.page.waitForSelector('.op-filter');
    expect(new URL(s.page.url()).searchParams.get('operation')).toBe('checkout');
  });
});

