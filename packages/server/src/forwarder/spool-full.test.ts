import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runForward, type ForwardHandle } from '../forward.js';
import { postOtlp } from './test-support/process.js';
import { makeSpans } from './test-support/sink.js';

const handles: ForwardHandle[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const h of handles) await h.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function start(whenFull: 'refuse' | 'drop-oldest') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skein-full-'));
  dirs.push(dir);
  const h = await runForward({
    otlpHttp: '127.0.0.1:0',
    otlpGrpc: 'off',
    spool: dir,
    spoolMax: '256KB',
    whenFull,
    // a destination that is never there
    to: ['otlp-http://127.0.0.1:1'],
    logger: pino({ level: 'silent' }),
  });
  handles.push(h);
  return h;
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);

describe('spool full', () => {
  it('"refuse" answers 503 and counts the refused spans', async () => {
    const h = await start('refuse');
    const body = encodeOtlpProto(makeSpans(100, 1));
    let ok = 0;
    let status = 200;
    while (status === 200 && ok < 200) {
      status = await postOtlp(h.addresses.otlpHttp!, body);
      if (status === 200) ok++;
    }
    expect(status).toBe(503);
    expect(ok).toBeGreaterThan(5);
    const m = h.metrics();
    expect(metric(m, 'skein_forward_refused_spans_total')).toBe(100);
    expect(metric(m, 'skein_forward_received_spans_total')).toBe(ok * 100);
    expect(metric(m, 'skein_forward_spool_bytes')).toBeLessThanOrEqual(256_000);
  });

  it('"drop-oldest" keeps accepting, drops whole old segments and says how many spans went', async () => {
    const h = await start('drop-oldest');
    const body = encodeOtlpProto(makeSpans(100, 2));
    for (let i = 0; i < 60; i++) expect(await postOtlp(h.addresses.otlpHttp!, body)).toBe(200);
    const m = h.metrics();
    const dropped = metric(m, 'skein_forward_spool_dropped_spans_total');
    expect(dropped).toBeGreaterThan(0);
    expect(dropped % 100).toBe(0);
    expect(m).toMatch(new RegExp(`skein_forward_destination_dropped_spans_total\\{destination="otlp-http://127.0.0.1:1",reason="spool_full"\\} ${dropped}`));
    const lag = metric(m, 'skein_forward_destination_lag_spans');
    expect(lag + dropped).toBe(6000);
  });
});
