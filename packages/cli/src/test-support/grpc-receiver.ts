/** A real OTLP/gRPC receiver for tests (grpc-js, raw bytes decoded with @skein/model). */
import * as grpc from '@grpc/grpc-js';
import { decodeOtlpProto, type Span } from '@skein/model';

export interface GrpcReceiver {
  port: number;
  spans: Span[];
  close(): void;
}

export async function startGrpcReceiver(creds = grpc.ServerCredentials.createInsecure()): Promise<GrpcReceiver> {
  const spans: Span[] = [];
  const server = new grpc.Server();
  const id = (b: Buffer): Buffer => b;
  server.addService(
    { Export: { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } },
    {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        spans.push(...decodeOtlpProto(call.request).spans);
        cb(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  return { port, spans, close: () => server.forceShutdown() };
}
