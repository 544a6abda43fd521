/**
 * The OTLP/gRPC receiver: TraceService/Export (4317 by default), gzip handled by grpc-js.
 * Messages are passed as raw bytes to the hand decoder; the size limit applies after
 * decompression (grpc-js enforces max_receive_message_length on the decompressed message).
 */
import * as grpc from '@grpc/grpc-js';
import { DecodeError, decodeOtlpProto, encodeExportResponse } from '@skein/model';
import type { Receiver, ReceiverFactory } from '../../pipeline/component.js';
import { OverloadedError, PipelineError } from '../../pipeline/errors.js';
import { formatListenAddress, parseListenAddress } from '../../net/address.js';
import { explainListen, removeStaleSocket } from '../../net/bind.js';
import { DEFAULT_MAX_BODY_BYTES } from '../http/body.js';

export const TRACE_SERVICE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const identity = (b: Buffer): Buffer => b;

export const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

export function toGrpcError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof DecodeError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof OverloadedError) {
    const metadata = new grpc.Metadata();
    metadata.set('retry-after', String(err.retryAfterSeconds));
    return {
      code: err.kind === 'exhausted' ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.UNAVAILABLE,
      details: err.message,
      metadata,
    };
  }
  if (err instanceof PipelineError && err.code === 'SKEIN_BAD_DATA') return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  return { code: grpc.status.INTERNAL, details: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}

export interface OtlpGrpcReceiverConfig {
  endpoint: string;
  maxMessageBytes?: number;
}

export const otlpGrpcReceiverFactory: ReceiverFactory<OtlpGrpcReceiverConfig> = {
  type: 'otlp-grpc',
  createDefaultConfig: () => ({ endpoint: '127.0.0.1:4317' }),
  create(config, ctx, next): Receiver {
    let server: grpc.Server | undefined;
    let bound: string | undefined;
    return {
      get address() {
        return bound;
      },
      async start() {
        const addr = parseListenAddress(config.endpoint, `${ctx.id} endpoint`);
        if (!addr) return;
        const max = config.maxMessageBytes ?? DEFAULT_MAX_BODY_BYTES;
        // grpc-js writes its errors to stderr itself ("E No address added..."); what matters of
        // them reaches callers as errors, so its own lines go to our log, at debug level.
        grpc.setLogger({ error: (...args: unknown[]) => ctx.logger.debug({ grpc: args.map(String).join(' ') }, 'grpc-js') });
        server = new grpc.Server({ 'grpc.max_receive_message_length': max });
        server.addService(traceServiceDefinition, {
          Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
            // Stages that decode off the event loop take the request whole (Consumer.consumeOtlpProto).
            if (next.consumeOtlpProto) {
              next.consumeOtlpProto(call.request).then(
                (taken) => (taken ? callback(null, Buffer.alloc(0)) : decodeHere(call, callback)),
                (err: unknown) => callback(toGrpcError(err)),
              );
            } else decodeHere(call, callback);
          },
        });
        function decodeHere(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void {
          let decoded;
          try {
            decoded = decodeOtlpProto(call.request);
          } catch (err) {
            callback(toGrpcError(err));
            return;
          }
          const done = () => {
            const body = decoded.rejected > 0 ? encodeExportResponse(decoded.rejected, decoded.message) : new Uint8Array(0);
            callback(null, Buffer.from(body.buffer, body.byteOffset, body.byteLength));
          };
          if (decoded.spans.length === 0) done();
          else next.consume(decoded.spans).then(done, (err: unknown) => callback(toGrpcError(err)));
        }
        const target = 'path' in addr ? `unix:${addr.path}` : `${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`;
        const port = await explainListen(`${ctx.id} receiver`, config.endpoint, async () => {
          if ('path' in addr) await removeStaleSocket(addr.path);
          return new Promise<number>((resolve, reject) =>
            server!.bindAsync(target, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
          );
        });
        bound = formatListenAddress('path' in addr ? addr : { host: addr.host, port });
        ctx.logger.info({ address: bound }, 'OTLP/gRPC receiver listening');
      },
      async shutdown() {
        const s = server;
        if (!s) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            s.forceShutdown();
            resolve();
          }, 5000);
          s.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      },
    };
  },
};
