/** OTLP/HTTP protobuf exporter over node:http(s) with a keep-alive agent. */

import http from 'node:http';
import https from 'node:https';
import type { ByteExporter } from './exporter.js';

export class OtlpHttpExporter implements ByteExporter {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(
    readonly target: string,
    private readonly headers: Record<string, string> = {},
    private readonly timeoutMs = 10_000,
  ) {
    try {
      this.url = new URL(target);
    } catch {
      throw new Error(`skein: bad OTLP traces endpoint "${target}": expected an http(s) URL`);
    }
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`skein: bad OTLP traces endpoint "${target}": expected http: or https:`);
    }
    this.mod = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 2 });
  }

  send(body: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = this.mod.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-type': 'application/x-protobuf', 'content-length': body.length },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve();
            else reject(new Error(`HTTP ${code}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      // The host program must be able to exit while an export is pending.
      req.on('socket', (s) => s.unref());
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
