/**
 * With nothing listening, tracing must not change the traced script: same stdout, same exit
 * code, one warning on stderr for the whole nested run (none with --quiet).
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { run } from '../test-support/run.js';

const SCRIPT = fileURLToPath(new URL('../../../../examples/ci-pipeline/pipeline.sh', import.meta.url));
let cli: BuiltCli;
let deadUrl: string;

beforeAll(async () => {
  cli = await buildCli();
  // a port that was free a moment ago: nothing listens there
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  await new Promise<void>((r) => srv.close(() => r()));
}, 120_000);

afterAll(async () => {
  await cli?.cleanup();
});

describe('skein exec with no backend', () => {
  it('runs the script exactly as without Skein and warns once', async () => {
    const env = { SKEIN: cli.shell, SKEIN_ENDPOINT: deadUrl, TRACEPARENT: '' };
    const [plain, traced] = await Promise.all([
      run('bash', [SCRIPT], { SKEIN: '' }),
      run(cli.argv[0]!, [cli.argv[1]!, 'exec', '--name', 'pipeline', '--', 'bash', SCRIPT], env),
    ]);
    expect(traced.code).toBe(4);
    expect(traced.code).toBe(plain.code);
    expect(traced.stdout).toBe(plain.stdout);
    const warnings = traced.stderr.split('\n').filter((l) => l.startsWith('skein: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('nothing listens there');
    expect(traced.stderr.trim()).toBe(warnings[0]);
  }, 90_000);

  it('is silent with --quiet, passes signals on and reports a missing command', async () => {
    const env = { SKEIN_ENDPOINT: deadUrl, TRACEPARENT: '' };
    const [quiet, killed, missing] = await Promise.all([
      run(cli.argv[0]!, [cli.argv[1]!, 'exec', '--quiet', '--', 'sh', '-c', 'echo out; exit 7'], env),
      run(cli.argv[0]!, [cli.argv[1]!, 'exec', '-q', '--', 'sh', '-c', 'kill -TERM $$'], env),
      run(cli.argv[0]!, [cli.argv[1]!, 'exec', '-q', '--', 'no-such-command-skein'], env),
    ]);
    expect(quiet).toMatchObject({ code: 7, stdout: 'out\n', stderr: '' });
    expect(killed.signal).toBe('SIGTERM');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('no-such-command-skein: command not found');
  }, 90_000);
});
