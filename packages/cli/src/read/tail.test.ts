/**
 * `skein tail` as a real process against a real in-memory `skein serve`: spans appear as they are
 * ingested (only the chosen service's with --service), and stopping serve ends the stream at once
 * (serve's close used to wait for every tail client to leave).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { run } from '../test-support/run.js';
import { startTestServe, type TestServe } from '../test-support/serve.js';

let cli: BuiltCli;
let serve: TestServe;
beforeAll(async () => {
  [cli, serve] = await Promise.all([buildCli(), startTestServe()]);
}, 120_000);
afterAll(async () => {
  await serve?.server.close();
  await cli?.cleanup();
});

/** A running `skein tail` whose output is collected; `until` waits for a text to appear. */
function tail(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(cli.argv[0]!, [cli.argv[1]!, 'tail', '--server', serve.api, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const until = async (stream: 'stdout' | 'stderr', text: string) => {
    for (let i = 0; i < 200 && !out[stream].includes(text); i++) await new Promise((r) => setTimeout(r, 25));
    expect(out[stream]).toContain(text);
  };
  return { child, out, exited, until };
}

const send = (service: string, name: string) =>
  run(cli.argv[0]!, [cli.argv[1]!, 'exec', '--service', service, '--name', name, '--', 'true'], { SKEIN_ENDPOINT: serve.otlp, TRACEPARENT: '' });

describe('skein tail', () => {
  it('prints spans as serve ingests them, only the chosen service with --service', async () => {
    const all = tail([]);
    const one = tail(['--service', 'wanted']);
    try {
      await Promise.all([all.until('stderr', 'following'), one.until('stderr', 'following')]);
      await send('other', 'not-this-one');
      await send('wanted', 'this-one');
      await all.until('stdout', 'this-one');
      await one.until('stdout', 'this-one');
      expect(all.out.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} +\S+ +other +not-this-one +[0-9a-f]{32}\/[0-9a-f]{16}$/m);
      expect(one.out.stdout).not.toContain('not-this-one');
    } finally {
      all.child.kill();
      one.child.kill();
    }
  }, 60_000);

  it('ends when serve stops, and serve stops at once though a tail is attached', async () => {
    const t = tail([]);
    await t.until('stderr', 'following');
    const t0 = performance.now();
    await serve.server.close();
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(await t.exited).toBe(0);
    expect(t.out.stderr).toContain('skein tail: the server closed the stream');
  }, 60_000);
});
