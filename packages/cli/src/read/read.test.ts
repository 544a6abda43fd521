/**
 * Reading commands as real processes against a real in-memory `skein serve`: trace show at 80
 * and 200 columns and as JSON, search, services, export, and errors that say what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { run } from '../test-support/run.js';
import { startTestServe, waitForTrace, type TestServe } from '../test-support/serve.js';

const TRACE = '5a1e0000000000000000000000c0ffee';
let cli: BuiltCli;
let serve: TestServe;
const skein = (args: string[], env: Record<string, string> = {}) => run(cli.argv[0]!, [cli.argv[1]!, ...args], { NO_COLOR: '1', ...env });

beforeAll(async () => {
  [cli, serve] = await Promise.all([buildCli(), startTestServe()]);
  const env = { SKEIN: cli.shell, SKEIN_ENDPOINT: serve.otlp, TRACEPARENT: `00-${TRACE}-00000000000000aa-01` };
  const r = await skein(['exec', '--service', 'cli-test', '--name', 'outer', '--', 'bash', '-c', '$SKEIN exec --name inner -- true; $SKEIN exec --name bad -- sh -c "exit 2"; true'], env);
  expect(r.code).toBe(0);
  await waitForTrace(serve.api, TRACE, 3);
}, 120_000);

afterAll(async () => {
  await serve?.server.close();
  await cli?.cleanup();
});

describe('skein trace show', () => {
  it('draws a readable waterfall at 80 and 200 columns', async () => {
    const [narrow, wide] = await Promise.all([
      skein(['trace', 'show', TRACE, '--server', serve.api, '--width', '80']),
      skein(['trace', 'show', TRACE, '--server', serve.api], { COLUMNS: '200' }),
    ]);
    for (const [r, w] of [[narrow, 80], [wide, 200]] as const) {
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      for (const l of lines) expect([...l].length).toBeLessThan(w);
      expect(lines[0]).toContain(`trace ${TRACE}`);
      expect(r.stdout).toMatch(/^outer \[cli-test\] +█+ +\S+$/m);
      expect(r.stdout).toMatch(/^├─inner +█* *[█▒]+ *\S+$/m);
      expect(r.stdout).toMatch(/^└─✗ bad +[█▒ ]+\S+$/m);
    }
    expect(wide.stdout.split('\n').some((l) => [...l].length > 150)).toBe(true);
  }, 60_000);

  it('shows the trace for `skein trace <id>` too', async () => {
    const [short, full] = await Promise.all([
      skein(['trace', TRACE, '--server', serve.api, '--width', '80']),
      skein(['trace', 'show', TRACE, '--server', serve.api, '--width', '80']),
    ]);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain(`trace ${TRACE}`);
    expect(short.stdout).toBe(full.stdout);
  }, 60_000);

  it('prints the tree as JSON', async () => {
    const r = await skein(['trace', 'show', TRACE, '--server', serve.api, '--json']);
    const j = JSON.parse(r.stdout) as { spans: Array<{ name: string; depth: number; error: boolean; critical: boolean; attributes: Record<string, unknown> }> };
    expect(j.spans.map((s) => [s.name, s.depth, s.error])).toEqual([
      ['outer', 0, false],
      ['inner', 1, false],
      ['bad', 1, true],
    ]);
    expect(j.spans[0]!.critical).toBe(true);
    expect(j.spans[2]!.attributes['process.exit.code']).toBe('2');
  }, 60_000);
});

describe('search, services, export', () => {
  it('lists services and finds the trace', async () => {
    const [services, search, json] = await Promise.all([
      skein(['services', '--server', serve.api]),
      skein(['search', '--service', 'cli-test', '--server', serve.api]),
      skein(['search', '--service', 'cli-test', '--operation', 'bad', '--server', serve.api, '--json']),
    ]);
    expect(services.stdout.split('\n')).toContain('cli-test');
    expect(search.stdout).toMatch(new RegExp(`^${TRACE} .* 3 +1 +cli-test: outer`, 'm'));
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ traceId: TRACE, spans: 3, errors: 1 });
  }, 60_000);

  it('stats: requests, errors and latency per service and per operation', async () => {
    const [all, ops, kind] = await Promise.all([
      skein(['stats', '--server', serve.api]),
      skein(['stats', '--service', 'cli-test', '--json', '--server', serve.api]),
      skein(['stats', '--service', 'cli-test', '--kind', 'producer', '--server', serve.api]),
    ]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^SERVICE +REQUESTS +ERRORS +P50 +P95 +P99$/m);
    expect(all.stdout).toMatch(/^cli-test +3 +33% +\S+ +\S+ +\S+$/m); // bad exited 2
    const rows = ops.stdout.trim().split('\n').map((l) => JSON.parse(l) as { operation: string; requests: number; errorRate: number; p50: number; p99: number });
    expect(rows.map((r) => [r.operation, r.requests, r.errorRate]).sort()).toEqual([['bad', 1, 1], ['inner', 1, 0], ['outer', 1, 0]]);
    // outer contains the other two, so it is the slowest
    const outer = rows.find((r) => r.operation === 'outer')!;
    for (const r of rows) expect(outer.p99).toBeGreaterThanOrEqual(r.p99);
    expect(outer.p50).toBeGreaterThan(0);
    expect(kind.stdout).toBe('');
    expect(kind.stderr).toContain('no producer spans from cli-test in the last 1h');
  }, 60_000);

  it('exports the trace as OTLP JSON, Jaeger JSON and Zipkin JSON', async () => {
    const [otlp, jaeger, zipkin, jaegerJson] = await Promise.all(
      // the id as an option or as an argument, like `skein trace show` takes it; the UI's format names too
      ['otlp-json', 'jaeger', 'zipkin', 'jaeger-json'].map((f, i) => skein(['export', ...(i === 2 ? [TRACE] : ['--trace', TRACE]), '--format', f, '--server', serve.api])),
    );
    expect(jaegerJson.stdout).toBe(jaeger.stdout);
    const o = JSON.parse(otlp.stdout) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; startTimeUnixNano: string }> }> }> };
    expect(o.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))).sort()).toEqual(['bad', 'inner', 'outer']);
    expect((JSON.parse(jaeger.stdout) as { data: Array<{ spans: unknown[] }> }).data[0]!.spans).toHaveLength(3);
    const z = JSON.parse(zipkin.stdout) as Array<{ traceId: string; name: string }>;
    expect(z.map((s) => s.name).sort()).toEqual(['bad', 'inner', 'outer']);
    expect(z[0]!.traceId).toBe(TRACE);
  }, 60_000);

  it('says what to do when something is wrong', async () => {
    const [badId, missing, down, noService, noId] = await Promise.all([
      skein(['trace', 'show', 'not-a-trace', '--server', serve.api]),
      skein(['trace', 'show', 'abc', '--server', serve.api]),
      skein(['trace', 'show', TRACE, '--server', 'http://127.0.0.1:9']),
      skein(['search', '--server', serve.api]),
      skein(['export', '--server', serve.api]),
    ]);
    expect(badId).toMatchObject({ code: 2 });
    expect(badId.stderr).toContain('"not-a-trace" is not a trace id');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('skein search');
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach the query API at http:\/\/127\.0\.0\.1:9 .*skein serve/);
    expect(noService.stderr).toContain('needs --service');
    expect(noId).toMatchObject({ code: 2 });
    expect(noId.stderr).toContain('skein export needs a trace id');
  }, 60_000);
});
