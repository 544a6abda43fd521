import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runForward, type ForwardHandle } from '../forward.js';
import { Sink, freePort, makeSpans, until } from './test-support/sink.js';

let h: ForwardHandle | undefined;
let dir: string | undefined;
const sinks: Sink[] = [];
afterAll(async () => {
  await h?.close();
  for (const s of sinks) await s.down();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('reloading --config', () => {
  it('follows file changes with watchConfig, keeps the old destinations on a bad file, and changes a destination in place', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skein-reload-'));
    const [a, b] = [new Sink(await freePort()), new Sink(await freePort())];
    sinks.push(a, b);
    await a.up();
    await b.up();
    const cfg = path.join(dir, 'f.yaml');
    await writeFile(cfg, `exporters:\n  forward/a: { url: "${a.url}" }\n`);
    h = await runForward({ otlpHttp: 'off', otlpGrpc: 'off', spool: path.join(dir, 'spool'), config: cfg, watchConfig: true, logger: pino({ level: 'silent' }) });
    expect([...h.forwarder.destinations.keys()]).toEqual(['forward/a']);

    await writeFile(cfg, `exporters:\n  forward/a: { url: "${a.url}" }\n  forward/b: { url: "${b.url}" }\n`);
    await until(() => h!.forwarder.destinations.has('forward/b'), 5000, 'the watched file to add forward/b');

    await writeFile(cfg, 'exporters:\n  forward/a: { url: "kafka://nope:1" }\n');
    await expect(h.reload()).rejects.toThrow(/kafka:\/\/nope:1/);
    expect([...h.forwarder.destinations.keys()].sort()).toEqual(['forward/a', 'forward/b']);

    // forward/a now points at b's sink: same cursor, new sender
    await writeFile(cfg, `exporters:\n  forward/a: { url: "${b.url}" }\n`);
    await h.reload();
    expect([...h.forwarder.destinations.keys()]).toEqual(['forward/a']);
    const spans = makeSpans(5, 1);
    await h.forwarder.consume(spans);
    await b.waitFor(spans.map((s) => s.spanId));
    expect(a.spanIds.has(spans[0]!.spanId)).toBe(false);
  });
});
