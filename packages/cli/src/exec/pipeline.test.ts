/**
 * The CI example script under real `skein exec` processes: three levels of nesting, a failing
 * step and a background span with events arrive as one trace with the right tree; the exit
 * code and output match a run without Skein.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '@skein/model';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { startReceiver, type Receiver } from '../test-support/receiver.js';
import { run, type RunResult } from '../test-support/run.js';

const SCRIPT = fileURLToPath(new URL('../../../../examples/ci-pipeline/pipeline.sh', import.meta.url));

let cli: BuiltCli;
let receiver: Receiver;
let traced: RunResult;

beforeAll(async () => {
  [cli, receiver] = await Promise.all([buildCli(), startReceiver()]);
  traced = await run(cli.argv[0]!, [cli.argv[1]!, 'exec', '--name', 'pipeline', '--service', 'ci', '--', 'bash', SCRIPT], {
    SKEIN: cli.shell,
    SKEIN_ENDPOINT: receiver.url,
    TRACEPARENT: '',
  });
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await cli?.cleanup();
});

const byName = (name: string): Span => {
  const s = receiver.spans.find((x) => x.name === name);
  if (!s) throw new Error(`no span named ${name}; got ${receiver.spans.map((x) => x.name).join(', ')}`);
  return s;
};
const attr = (s: Span, key: string): unknown => s.attributes.find((a) => a.key === key)?.value;

describe('skein exec in a CI script', () => {
  it('keeps the exit code and output of the run without Skein', async () => {
    const plain = await run('bash', [SCRIPT], { SKEIN: '' });
    expect(plain.code).toBe(4);
    expect(traced.code).toBe(plain.code);
    expect(traced.stdout).toBe(plain.stdout);
    expect(traced.stderr).toBe('');
  }, 60_000);

  it('sends one trace with the right tree', () => {
    const names = receiver.spans.map((s) => s.name).sort();
    expect(names).toEqual(['build', 'checkout', 'codegen', 'compile', 'deploy', 'integration-tests', 'link', 'pipeline', 'rollout', 'unit-tests']);
    expect(new Set(receiver.spans.map((s) => s.traceId)).size).toBe(1);
    const root = byName('pipeline');
    expect(root.parentSpanId).toBe('');
    const parentOf = (n: string): string => receiver.spans.find((s) => s.spanId === byName(n).parentSpanId)?.name ?? '';
    expect(parentOf('checkout')).toBe('pipeline');
    expect(parentOf('build')).toBe('pipeline');
    expect(parentOf('compile')).toBe('build');
    expect(parentOf('codegen')).toBe('compile');
    expect(parentOf('link')).toBe('build');
    expect(parentOf('deploy')).toBe('pipeline');
    expect(parentOf('rollout')).toBe('deploy');
    // children lie within their parents in time
    for (const s of receiver.spans) {
      const p = receiver.spans.find((x) => x.spanId === s.parentSpanId);
      if (p) expect(s.startTimeUnixNano >= p.startTimeUnixNano && s.endTimeUnixNano <= p.endTimeUnixNano).toBe(true);
    }
    // the service name given at the top is inherited by every nested call
    for (const s of receiver.spans) expect(s.resource.attributes).toContainEqual({ key: 'service.name', value: 'ci' });
  });

  it('records exit codes and the error status of the failing step', () => {
    const failed = byName('integration-tests');
    expect(failed.status.code).toBe(2);
    expect(failed.status.message).toBe('exit code 4');
    expect(attr(failed, 'process.exit.code')).toBe(4n);
    expect(attr(failed, 'process.command_args')).toEqual(['sh', '-c', 'echo "integration tests: 1 failed"; exit 4']);
    expect(byName('unit-tests').status.code).toBe(0);
    expect(attr(byName('unit-tests'), 'process.exit.code')).toBe(0n);
    const root = byName('pipeline');
    expect(root.status.code).toBe(2);
    expect(attr(root, 'process.exit.code')).toBe(4n);
  });

  it('records the background span with its events, attributes and status', () => {
    const deploy = byName('deploy');
    expect(deploy.status.code).toBe(1);
    expect(attr(deploy, 'env')).toBe('staging');
    expect(deploy.events.map((e) => e.name)).toEqual(['images pushed', 'rollout started']);
    expect(deploy.events[0]!.attributes).toEqual([{ key: 'images', value: 3n }]);
    expect(deploy.events[1]!.attributes).toEqual([{ key: 'replicas', value: 2n }]);
    for (const e of deploy.events) expect(e.timeUnixNano >= deploy.startTimeUnixNano && e.timeUnixNano <= deploy.endTimeUnixNano).toBe(true);
  });
});
