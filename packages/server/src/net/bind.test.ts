/** Listening errors name the listener, the address and what to do; a live unix socket is never taken over. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindServer, explainListen } from './bind.js';

const servers: Server[] = [];
let dir = '';
afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const listening = (s: Server): Server => (servers.push(s), s);
const answers = (path: string) =>
  new Promise<boolean>((resolve) => {
    const c = connect(path);
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

describe('bindServer on a unix socket', () => {
  it('refuses a path a live listener holds, which keeps its clients', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-bind-'));
    const path = join(dir, 'otlp.sock');
    await bindServer(listening(createServer()), { path });
    const second = listening(createServer());
    const err = await explainListen('framed receiver', `unix:${path}`, () => bindServer(second, { path })).catch((e: Error) => e);
    expect(String(err)).toBe(`Error: framed receiver cannot listen on unix:${path}: the address is in use (another skein or collector running there?); give it another address, or off`);
    expect(await answers(path)).toBe(true);
  });

  it('takes over a socket file no process listens on any more', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skein-bind-'));
    const path = join(dir, 'stale.sock');
    // a listener killed with SIGKILL leaves its socket file behind
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`]);
    await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await stat(path)).isSocket()).toBe(true);
    expect(await answers(path)).toBe(false);
    expect(await bindServer(listening(createServer()), { path })).toBe(`unix:${path}`);
    expect(await answers(path)).toBe(true);
  });
});

describe('explainListen', () => {
  it('says a TCP port is taken, and passes other failures through with their text', async () => {
    const first = listening(createServer());
    const addr = await bindServer(first, { host: '127.0.0.1', port: 0 });
    const port = Number(addr.split(':')[1]);
    const err = await explainListen('--http', addr, () => bindServer(listening(createServer()), { host: '127.0.0.1', port })).catch((e: Error) => e);
    expect((err as Error).message).toContain(`--http cannot listen on ${addr}: the address is in use`);
    const other = await explainListen('zipkin receiver', 'x', () => Promise.reject(new Error('boom'))).catch((e: Error) => e);
    expect((other as Error).message).toBe('zipkin receiver cannot listen on x: boom; give it another address, or off');
  });
});
