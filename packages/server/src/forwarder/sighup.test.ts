import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeOtlpProto } from '@skein/model';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../receivers/framed/frames.js';
import { postOtlp, spawnForward, type ForwardChild } from './test-support/process.js';
import { Sink, freePort, makeSpans } from './test-support/sink.js';

let child: ForwardChild | undefined;
let dir: string | undefined;
const sinks: Sink[] = [];
afterAll(async () => {
  child?.child.kill('SIGKILL');
  for (const s of sinks) await s.down();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const config = (urls: Record<string, string>) =>
  `exporters:\n${Object.entries(urls).map(([k, u]) => `  forward/${k}:\n    url: ${u}\n`).join('')}`;

describe('skein forward SIGHUP', () => {
  it('adds a destination while spans flow: no connection dropped, no span lost', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skein-hup-'));
    const a = new Sink(await freePort());
    const b = new Sink(await freePort());
    sinks.push(a, b);
    await a.up();
    await b.up();
    const cfg = path.join(dir, 'forward.yaml');
    await writeFile(cfg, config({ a: a.url }));
    child = await spawnForward({ otlpHttp: '127.0.0.1:0', otlpGrpc: 'off', framed: `unix:${dir}/framed.sock`, spool: path.join(dir, 'spool'), config: cfg });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const httpSockets = new Set<unknown>();
    agent.on('free', (s) => httpSockets.add(s));
    const framed = net.connect({ path: `${dir}/framed.sock` });
    let framedClosed = false;
    framed.on('close', () => (framedClosed = true));
    await new Promise((r) => framed.once('connect', r));

    const all: string[] = [];
    const afterReload: string[] = [];
    let reloaded = false;
    let failures = 0;
    let tag = 0;
    const send = async () => {
      const viaHttp = makeSpans(10, tag++);
      const viaFrame = makeSpans(10, tag++);
      const after = reloaded;
      framed.write(encodeFrame(encodeOtlpProto(viaFrame)));
      if ((await postOtlp(child!.addresses.otlpHttp!, encodeOtlpProto(viaHttp), agent)) !== 200) failures++;
      for (const s of [...viaHttp, ...viaFrame]) {
        all.push(s.spanId);
        if (after) afterReload.push(s.spanId);
      }
    };
    for (let i = 0; i < 5; i++) await send();
    await writeFile(cfg, config({ a: a.url, b: b.url }));
    const seen = child.waitForLog(/reloaded destinations/);
    child.child.kill('SIGHUP');
    // keep sending while the reload happens
    const during = (async () => {
      for (let i = 0; i < 5; i++) await send();
    })();
    await seen;
    await during;
    reloaded = true;
    for (let i = 0; i < 5; i++) await send();

    await a.waitFor(all, 15_000);
    await b.waitFor(afterReload, 15_000);
    expect(afterReload.length).toBe(100);
    expect(failures).toBe(0);
    expect(framedClosed).toBe(false);
    expect(httpSockets.size).toBe(1);
    framed.end();
    agent.destroy();
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });
});
