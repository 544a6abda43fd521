/** Last-resort synchronous send at process 'exit', when no async work can run any more. */

import { spawnSync } from 'node:child_process';

// The child gets the bytes on stdin and posts (or frames) them; spawnSync bounds it with a timeout.
const SCRIPT = `
const [target, headers] = [process.argv[1], JSON.parse(process.argv[2])];
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const body = Buffer.concat(chunks);
  if (target.startsWith('unix:')) {
    const s = require('net').createConnection(target.slice(5), () => {
      const h = Buffer.alloc(4); h.writeUInt32BE(body.length);
      s.end(Buffer.concat([h, body]));
    });
    s.on('close', () => process.exit(0)); s.on('error', () => process.exit(2));
  } else {
    const mod = target.startsWith('https:') ? require('https') : require('http');
    const req = mod.request(target, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-protobuf' } },
      (res) => { res.resume(); res.on('end', () => process.exit(res.statusCode < 300 ? 0 : 3)); });
    req.on('error', () => process.exit(2)); req.end(body);
  }
});`;

/** Sends `body` to `target` before returning; false when it failed or timed out. */
export function sendSync(target: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): boolean {
  const r = spawnSync(process.execPath, ['-e', SCRIPT, target, JSON.stringify(headers)], {
    input: body,
    timeout: timeoutMs,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return r.status === 0;
}
