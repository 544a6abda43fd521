/** The `skein forward --framed` protocol: u32 big-endian length, then one OTLP protobuf request. */
import { connect } from 'node:net';
import type { ExportTarget } from './config.js';

export function sendFramed(target: ExportTarget, body: Uint8Array): Promise<void> {
  const u = target.url;
  const opts = u.startsWith('unix:')
    ? { path: u.slice(5) }
    : (() => {
        const m = /^(?:tcp:\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(u);
        if (!m) throw new Error(`framed endpoint "${u}" is not unix:/path or tcp://host:port`);
        return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
      })();
  return new Promise((resolve, reject) => {
    const sock = connect(opts);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`cannot export spans to ${u}: no connection within ${target.connectTimeoutMs} ms`));
    }, target.connectTimeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(body.length);
      sock.write(len);
      // the forwarder spools durably; a clean close after our write means it took the frame
      sock.end(body, () => resolve());
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? 'no skein forward listens there' : e.message;
      reject(new Error(`cannot export spans to ${u}: ${why}`));
    });
  });
}
