/** Real child processes: static-mode flush on exit and signals, dynamic switching by signal and control socket. */
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import { childScript, runChild } from './test-support/child.js';
import { childFixture } from './test-support/child-fixture.js';
import { orphans } from './test-support/receiver.js';

const fx = childFixture();

describe('static mode keeps the last spans', () => {
  it('flushes queued spans on SIGTERM, SIGINT and process.exit()', async () => {
    const mine = (name: string) =>
      fx.rx.spans.filter((s) => s.resource.attributes.some((a) => a.key === 'service.name' && a.value === name));
    await Promise.all(
      (['SIGTERM', 'SIGINT', 'exit'] as const).map(async (how) => {
        const run = runChild(childScript('signal.ts'), fx.env({ OTEL_SERVICE_NAME: `svc-${how}`, SPANS: '40', HOW: how }));
        if (how !== 'exit') {
          await run.waitOutput('READY');
          run.proc.kill(how);
          // The process still dies by the signal once the spans are out.
          expect(await run.done).toBe(how);
        } else expect(await run.done).toBe(0);
      }),
    );
    for (const how of ['SIGTERM', 'SIGINT', 'exit']) expect(mine(`svc-${how}`)).toHaveLength(40);
  });
});

function control(sock: string, pathname: string, method = 'POST'): Promise<{ enabled: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: sock, path: pathname, method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dynamic mode in a running process', () => {
  it('switches by control socket and SIGUSR2 under load and stores only complete traces', async () => {
    const sock = path.join(fx.dir, 'control.sock');
    const name = 'svc-dynamic';
    const run = runChild(childScript('dynamic.ts'), fx.env({ OTEL_SERVICE_NAME: name, SKEIN_CONTROL: `unix:${sock}`, OTEL_BSP_SCHEDULE_DELAY: '50' }));
    await run.waitOutput('READY');
    expect(run.stdout).toContain(`CONTROL unix:${sock}`);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    expect(await control(sock, '/tracing', 'GET')).toEqual({ enabled: false });
    await pause(100);
    expect(await control(sock, '/tracing/on')).toEqual({ enabled: true });
    await pause(150);
    run.proc.kill('SIGUSR2');
    await pause(150);
    expect(await control(sock, '/tracing', 'GET')).toEqual({ enabled: false });
    run.proc.kill('SIGUSR2');
    await pause(150);
    expect(await control(sock, '/tracing/toggle')).toEqual({ enabled: false });
    await pause(100);
    run.proc.kill('SIGTERM');
    expect(await run.done).toBe(0);
    const mine = fx.rx.spans.filter((s) => s.resource.attributes.some((a) => a.key === 'service.name' && a.value === name));
    const roots = mine.filter((s) => s.parentSpanId === '');
    expect(roots.length).toBeGreaterThan(10);
    expect(orphans(mine)).toEqual([]);
    const perTrace = new Map<string, number>();
    for (const s of mine) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
    // root + 3 x (step + leaf): every stored trace is whole.
    expect(new Set(perTrace.values())).toEqual(new Set([7]));
    const [, total] = /DONE (\d+)/.exec(run.stdout)!;
    expect(roots.length).toBeLessThan(Number(total));
  });
});
