import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOtlpProto } from '@skein/model';
import { afterAll, describe, expect, it } from 'vitest';
import { postOtlp, spawnScript, type ForwardChild } from '../../../server/src/forwarder/test-support/process.js';
import { Sink, freePort, makeSpans } from '../../../server/src/forwarder/test-support/sink.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cli-dev.ts');
let child: ForwardChild | undefined;
let sink: Sink | undefined;
let dir: string | undefined;
afterAll(async () => {
  child?.child.kill('SIGKILL');
  await sink?.down();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('skein forward (CLI)', () => {
  it('takes OTLP/HTTP on a unix socket, spools it, delivers it, and stops cleanly on SIGTERM', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skein-cli-fwd-'));
    sink = new Sink(await freePort());
    await sink.up();
    const sock = path.join(dir, 'otlp.sock');
    child = await spawnScript([CLI, 'forward', '--otlp-http', `unix:${sock}`, '--otlp-grpc', 'off', '--spool', path.join(dir, 'spool'), '--spool-max', '10MB', '--to', sink.url]);
    expect(child.addresses.otlpHttp).toBe(`unix:${sock}`);
    const spans = makeSpans(10, 1);
    const status = await postOtlp(`unix:${sock}`, encodeOtlpProto(spans));
    expect(status).toBe(200);
    await sink.waitFor(spans.map((s) => s.spanId));
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });

  it('names a bad destination', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, 'forward', ...args], { encoding: 'utf8' });
    const bad = run(['--spool', os.tmpdir(), '--to', 'kafka://x:1', '--otlp-http', 'off', '--otlp-grpc', 'off']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/skein forward: destination "kafka:\/\/x:1": unknown scheme/);
  });
});
