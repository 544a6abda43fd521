/** A signal sent to `skein exec` reaches the command, and the command's answer decides the exit. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';

let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(async () => {
  await cli?.cleanup();
});

it('forwards SIGTERM to the command and exits with its code', async () => {
  const script = 'trap "echo got TERM; exit 9" TERM; echo ready; while :; do sleep 0.05; done';
  const child = spawn(cli.argv[0]!, [cli.argv[1]!, 'exec', '-q', '--', 'sh', '-c', script], {
    env: { ...process.env, SKEIN_ENDPOINT: 'http://127.0.0.1:9', TRACEPARENT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      if (out.includes('ready')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await ready;
  child.kill('SIGTERM');
  expect(await exited).toBe(9);
  expect(out).toContain('got TERM');
}, 60_000);
