/** Exporter to `skein forward --framed unix:PATH`: frames of u32 big-endian length + OTLP protobuf. */

import net from 'node:net';
import type { ByteExporter } from './exporter.js';

export class ForwardSocketExporter implements ByteExporter {
  private sock: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;

  constructor(
    private readonly path: string,
    private readonly timeoutMs = 10_000,
  ) {}

  get target(): string {
    return `unix:${this.path}`;
  }

  private connect(): Promise<net.Socket> {
    if (this.sock) return Promise.resolve(this.sock);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection(this.path);
      const timer = setTimeout(() => s.destroy(new Error(`connect timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
      s.once('connect', () => {
        clearTimeout(timer);
        s.unref();
        s.on('close', () => {
          if (this.sock === s) this.sock = null;
        });
        // Errors after connect surface through write callbacks; this keeps them from crashing the host.
        s.on('error', () => {});
        this.sock = s;
        this.connecting = null;
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        this.connecting = null;
        reject(e);
      });
    });
    return this.connecting;
  }

  async send(body: Uint8Array): Promise<void> {
    const s = await this.connect();
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    frame.set(body, 4);
    await new Promise<void>((resolve, reject) => {
      s.write(frame, (err) => {
        if (err) {
          s.destroy();
          reject(err);
        } else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const s = this.sock;
    this.sock = null;
    if (s) await new Promise<void>((r) => s.end(r));
  }
}
