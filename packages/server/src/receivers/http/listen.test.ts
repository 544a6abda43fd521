/** An HTTP listener's close: idle keep-alive connections go at once, a stalled request after a grace period. */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS, listenHttp } from './listen.js';

describe('listenHttp close', () => {
  it('does not wait for a client that stalls in the middle of its request body', async () => {
    const l = await listenHttp({ host: '127.0.0.1', port: 0 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const [host, port] = l.address.split(':') as [string, string];
    const client = connect(Number(port), host);
    await new Promise((r) => client.once('connect', r));
    // headers promise 1000 bytes; 10 arrive, then nothing
    client.write('POST /v1/traces HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n0123456789');
    const closed = new Promise((r) => client.once('close', r));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await l.close();
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(CLOSE_GRACE_MS - 50);
    expect(took).toBeLessThan(CLOSE_GRACE_MS + 1_000);
    await closed;
  });
});
