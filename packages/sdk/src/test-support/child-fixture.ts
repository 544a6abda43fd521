/** Set-up shared by the test files that run SDK child processes (kept apart from child.ts, which children import). */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { cleanEnv } from './child.js';
import { startOtlpReceiver } from './receiver.js';

type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;

/**
 * An OTLP receiver and a temp dir around a test file's tests, and the environment that points a
 * child's SDK at the receiver.
 */
export function childFixture(service = 'proc-test'): { rx: OtlpReceiver; dir: string; env(extra?: Record<string, string>): Record<string, string> } {
  const f = {
    rx: undefined as unknown as OtlpReceiver,
    dir: '',
    env: (extra: Record<string, string> = {}) => cleanEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: f.rx.url, OTEL_SERVICE_NAME: service, ...extra }),
  };
  beforeAll(async () => {
    f.rx = await startOtlpReceiver();
    f.dir = await mkdtemp(path.join(os.tmpdir(), 'skein-sdk-'));
  });
  afterAll(async () => {
    await f.rx.close();
    await rm(f.dir, { recursive: true, force: true });
  });
  return f;
}
