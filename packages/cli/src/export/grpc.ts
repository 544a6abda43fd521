/** OTLP over gRPC with @grpc/grpc-js (loaded only for --protocol grpc): one unary Export call. */
import type { ExportTarget } from './config.js';
import { deferredCa } from './extra-ca.js';

const METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export async function sendGrpc(target: ExportTarget, body: Uint8Array): Promise<void> {
  // grpc-js names an IP host as the TLS server name, which Node answers with a deprecation
  // warning (DEP0123) on stderr: that stream belongs to the traced script, not to us.
  process.noDeprecation = true;
  const grpc = await import('@grpc/grpc-js');
  const u = new URL(target.url);
  const ca = deferredCa();
  const creds = u.protocol === 'https:' ? grpc.credentials.createSsl(ca ? Buffer.from(ca.join('\n')) : null) : grpc.credentials.createInsecure();
  const client = new grpc.Client(u.host, creds);
  const meta = new grpc.Metadata();
  for (const [k, v] of Object.entries(target.headers)) meta.set(k.toLowerCase(), v);
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = new Date(Date.now() + target.timeoutMs);
      client.makeUnaryRequest(
        METHOD,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        meta,
        { deadline },
        (err) => (err ? reject(new Error(`cannot export spans to ${target.url} (gRPC): ${err.details || err.message}`)) : resolve()),
      );
    });
  } finally {
    client.close();
  }
}
