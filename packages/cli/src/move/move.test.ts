/**
 * `skein import` of every supported format into a real in-memory `skein serve` (with a summary
 * of what was skipped), and `skein tail` following the server's live stream.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOtlpJson, encodeOtlpProto, encodeZipkinJson, type Span } from '@skein/model';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { run } from '../test-support/run.js';
import { startTestServe, waitForTrace, type TestServe } from '../test-support/serve.js';
import { ciTrace } from '../test-support/trace-fixture.js';

let cli: BuiltCli;
let serve: TestServe;
let dir: string;
const skein = (args: string[], env: Record<string, string> = {}) => run(cli.argv[0]!, [cli.argv[1]!, ...args], { NO_COLOR: '1', ...env });
const withTrace = (id: string): Span[] => ciTrace().map((s) => ({ ...s, traceId: id }));
const ID = (n: number): string => `1a2b3c4d${String(n).padStart(24, '0')}`;

beforeAll(async () => {
  [cli, serve, dir] = await Promise.all([buildCli(), startTestServe(), mkdtemp(join(tmpdir(), 'skein-import-'))]);
}, 120_000);

afterAll(async () => {
  await serve?.server.close();
  await cli?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('skein import', () => {
  it('imports OTLP JSON lines, OTLP protobuf, Zipkin and Jaeger JSON and reports what it skipped', async () => {
    const jsonl = [JSON.stringify(encodeOtlpJson(withTrace(ID(1)))), '{"resourceSpans": [', JSON.stringify(encodeOtlpJson(withTrace(ID(2))))].join('\n');
    const jaeger = {
      data: [
        {
          traceID: ID(5).slice(16),
          spans: [
            { traceID: ID(5).slice(16), spanID: '00000000000000a1', operationName: 'GET /', references: [], startTime: 1764216000000000, duration: 1500, tags: [{ key: 'error', type: 'bool', value: true }], processID: 'p1' },
            { traceID: ID(5).slice(16), spanID: '00000000000000a2', operationName: 'db', references: [{ refType: 'CHILD_OF', traceID: ID(5).slice(16), spanID: '00000000000000a1' }], startTime: 1764216000000100, duration: 900, processID: 'p1' },
          ],
          processes: { p1: { serviceName: 'frontend', tags: [] } },
        },
      ],
    };
    await Promise.all([
      writeFile(join(dir, 'a.jsonl'), jsonl + '\n'),
      writeFile(join(dir, 'b.pb'), encodeOtlpProto(withTrace(ID(3)))),
      writeFile(join(dir, 'c.json'), encodeZipkinJson(withTrace(ID(4)))),
      writeFile(join(dir, 'd.json'), JSON.stringify(jaeger)),
      writeFile(join(dir, 'e.txt'), 'hello'),
    ]);
    const files = ['a.jsonl', 'b.pb', 'c.json', 'd.json', 'e.txt'].map((f) => join(dir, f));
    const r = await skein(['import', ...files, '--endpoint', serve.otlp]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/imported 34 spans into the collector in [\d.]+s \([\d,]+ spans\/s\)/);
    expect(r.stderr).toContain(`skipped 1: not an OTLP JSON line`);
    expect(r.stderr).toContain(`(first at ${join(dir, 'a.jsonl')}:2)`);
    expect(r.stderr).toContain(`skipped 1: format not recognised (pass --format) (first at ${join(dir, 'e.txt')})`);
    expect(r.stderr).toMatch(/import: +100% 34 spans/); // progress lines when stderr is not a terminal
    await Promise.all([1, 2, 3, 4].map((n) => waitForTrace(serve.api, ID(n), 8)));
    await waitForTrace(serve.api, ID(5).slice(16).padStart(32, '0'), 2);
    const shown = await skein(['trace', 'show', ID(5).slice(16), '--server', serve.api, '--width', '80']);
    expect(shown.stdout).toMatch(/^✗ GET \/ \[frontend\]/m);
    expect(shown.stdout).toMatch(/^└─db/m);
  }, 90_000);

  it('fails clearly when nothing listens or a file is missing', async () => {
    const [down, missing] = await Promise.all([
      skein(['import', join(dir, 'b.pb'), '--endpoint', 'http://127.0.0.1:9', '-q']),
      skein(['import', join(dir, 'nope.json')]),
    ]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot send spans to http:\/\/127\.0\.0\.1:9\/v1\/traces .*--data DIR/);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no such file');
  }, 60_000);
});

describe('skein tail', () => {
  it('prints spans as the server ingests them', async () => {
    const tail = spawn(cli.argv[0]!, [cli.argv[1]!, 'tail', '--server', serve.api, '--service', 'tail-test'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      let err = '';
      const following = new Promise<void>((resolve) => tail.stderr.on('data', (c: Buffer) => ((err += c), err.includes('following') && resolve())));
      const seen = new Promise<void>((resolve) => tail.stdout.on('data', (c: Buffer) => ((out += c), out.includes('tailed-span') && resolve())));
      await following;
      const sent = await skein(['span', '--name', 'tailed-span', '--service', 'tail-test', '--start', String(Date.now() - 5), '--status', 'error', '--endpoint', serve.otlp]);
      expect(sent.code).toBe(0);
      await skein(['span', '--name', 'other-service', '--service', 'elsewhere', '--start', String(Date.now() - 5), '--endpoint', serve.otlp]);
      await seen;
      expect(out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} +[\d.]+(ns|µs|ms|s) +tail-test +tailed-span ✗ error +[0-9a-f]{32}\/[0-9a-f]{16}$/m);
      expect(out).not.toContain('other-service');
    } finally {
      tail.kill();
    }
  }, 60_000);
});
