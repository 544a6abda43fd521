/** Starts `skein serve` in-process on ephemeral ports for tests. */
import { pino } from 'pino';
import { RECEIVERS } from '../receivers/registry.js';
import { startServe, type RunningServer, type ServeOptions } from '../serve.js';

export async function startTestServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const ports: Record<string, string> = { http: '127.0.0.1:0' };
  for (const r of RECEIVERS) ports[r.option] = '127.0.0.1:0';
  return startServe({ memory: true, logger: pino({ level: 'silent' }), ...ports, ...opts });
}

export async function getJson(base: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://${base}${path}`);
  return { status: res.status, body: await res.json() };
}
