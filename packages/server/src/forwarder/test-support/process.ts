/** Test helper: runs `skein forward` from source in a child process and reads its start-up log line. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child-main.ts');

export interface ForwardChild {
  child: ChildProcess;
  addresses: Record<string, string>;
  /** Every log line so far (pino JSON). */
  lines: string[];
  /** Resolves at the next log line whose msg matches. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Starts a forwarder process with these runForward options (JSON-able, as the CLI would pass them). */
export function spawnForward(opts: Record<string, unknown>, timeoutMs = 20_000): Promise<ForwardChild> {
  const retry = { initialIntervalMs: 50, maxIntervalMs: 300 };
  return spawnScript([CHILD, JSON.stringify({ retry, ...opts })], timeoutMs);
}

/** Runs `node --import tsx <script> <args...>` and waits for "skein forward running" on stdout. */
export async function spawnScript(scriptAndArgs: string[], timeoutMs = 20_000): Promise<ForwardChild> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', ...scriptAndArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      for (const f of [...listeners]) f(l);
    }
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitForLog = (msg: RegExp, t = timeoutMs) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(f);
        reject(new Error(`forward child: no log line matching ${msg} within ${t} ms; stderr: ${stderr}`));
      }, t);
      const f = (l: string) => {
        if (!msg.test(l)) return;
        clearTimeout(timer);
        listeners.delete(f);
        resolve(l);
      };
      listeners.add(f);
      void exited.then((code) => {
        if (!listeners.has(f)) return;
        clearTimeout(timer);
        listeners.delete(f);
        reject(new Error(`forward child exited (${code}) before ${msg}; stderr: ${stderr}`));
      });
    });
  const ready = await waitForLog(/skein forward running/);
  const addresses = (JSON.parse(ready) as { addresses: Record<string, string> }).addresses;
  return { child, addresses, lines, waitForLog, exited };
}

/**
 * POSTs spans as OTLP protobuf to `host:port` or `unix:/path`; resolves with the HTTP status, or
 * 0 when the connection failed.
 */
export function postOtlp(address: string, body: Uint8Array, agent?: http.Agent): Promise<number> {
  const where = address.startsWith('unix:')
    ? { socketPath: address.slice(5) }
    : { host: address.slice(0, address.lastIndexOf(':')), port: Number(address.slice(address.lastIndexOf(':') + 1)) };
  return new Promise((resolve) => {
    const req = http.request(
      { ...where, path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
