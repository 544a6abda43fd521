/**
 * `bin/skein exec` as users run it: the launcher starts Node on the bundled exec without
 * NODE_EXTRA_CA_CERTS, so the command must still get the variable exactly, and TLS exports must
 * still trust the certificates it names (OTLP over https and gRPC with TLS, real servers); the
 * other short commands start without it too, and must trust it on https as well.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpProto } from '@skein/model';
import { startGrpcReceiver } from '../test-support/grpc-receiver.js';
import { run } from '../test-support/run.js';

const BIN = fileURLToPath(new URL('../../bin/skein', import.meta.url));
const CERT = fileURLToPath(new URL('../test-support/tls/cert.pem', import.meta.url));
const tls = { cert: readFileSync(CERT), key: readFileSync(new URL('../test-support/tls/key.pem', import.meta.url)) };
const PRINT_ENV = `console.log(JSON.stringify([process.env.NODE_EXTRA_CA_CERTS ?? null, process.env.SKEIN_EXTRA_CA_CERTS ?? null]))`;

let server: Server;
let url: string;
const names: string[] = [];
beforeAll(async () => {
  server = createServer(tls, (req, res) => {
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: ['tls-svc'] }));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      names.push(...decodeOtlpProto(Buffer.concat(chunks)).spans.map((s) => s.name));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('bin/skein exec', () => {
  it('gives the command NODE_EXTRA_CA_CERTS exactly as skein got it, set or not', async () => {
    const set = await run(BIN, ['exec', '-q', '--endpoint', 'http://127.0.0.1:9', '--', process.execPath, '-e', PRINT_ENV], { NODE_EXTRA_CA_CERTS: CERT });
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual([CERT, null]);
    const unset = await run(BIN, ['exec', '-q', '--endpoint', 'http://127.0.0.1:9', '--', process.execPath, '-e', PRINT_ENV], { NODE_EXTRA_CA_CERTS: undefined });
    expect(JSON.parse(unset.stdout)).toEqual([null, null]);
  });

  it("passes on variables that are not shell names, such as a script's `export -f` functions", async () => {
    // Debian's sh (dash) drops them, so a launcher under sh lost every exported bash function.
    const env = { 'BASH_FUNC_step%%': '() {  echo "step ran: $1"\n}', 'odd.name': 'kept' };
    const r = await run(BIN, ['exec', '-q', '--endpoint', 'http://127.0.0.1:9', '--', 'bash', '-c', 'step one; echo "$(printenv odd.name)"'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('step ran: one\nkept\n');
    expect(r.code).toBe(0);
  });

  it('exports over https trusting NODE_EXTRA_CA_CERTS, though Node started without it', async () => {
    const trusted = await run(BIN, ['exec', '--name', 'trusted', '--endpoint', url, '--', 'true'], { NODE_EXTRA_CA_CERTS: CERT });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(names).toContain('trusted');
    // The control: without the certificate the same export fails (and says so once).
    const untrusted = await run(BIN, ['exec', '--name', 'untrusted', '--endpoint', url, '--', 'true'], { NODE_EXTRA_CA_CERTS: undefined });
    expect(untrusted.code).toBe(0);
    expect(untrusted.stderr).toMatch(/warning: cannot export spans to https.*self[- ]signed/);
    expect(names).not.toContain('untrusted');
  });

  it('reads a query API over https trusting NODE_EXTRA_CA_CERTS, which short commands load late too', async () => {
    const trusted = await run(BIN, ['services', '--server', url], { NODE_EXTRA_CA_CERTS: CERT });
    expect(trusted.stderr).toBe('');
    expect(trusted.stdout).toBe('tls-svc\n');
    const untrusted = await run(BIN, ['services', '--server', url], { NODE_EXTRA_CA_CERTS: undefined });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/cannot reach the query API at https.*self[- ]signed/);
  });

  it('exports over gRPC with TLS trusting NODE_EXTRA_CA_CERTS', async () => {
    const server = await startGrpcReceiver(grpc.ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }]));
    try {
      const r = await run(BIN, ['exec', '--name', 'grpc-tls', '--protocol', 'grpc', '--endpoint', `https://127.0.0.1:${server.port}`, '--', 'true'], { NODE_EXTRA_CA_CERTS: CERT });
      expect(r.stderr).toBe('');
      expect(server.spans.map((s) => s.name)).toEqual(['grpc-tls']);
    } finally {
      server.close();
    }
  });
});
