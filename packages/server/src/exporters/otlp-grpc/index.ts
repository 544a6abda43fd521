/**
 * otlpGrpcSender: TraceService/Export over @grpc/grpc-js, the request encoded by the hand encoder
 * and passed as raw bytes (identity serializers), so no .proto files are loaded.
 */
import * as grpc from '@grpc/grpc-js';
import { encodeOtlpProto, type Span } from '@skein/model';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import type { Sender } from '../sender.js';
import { retryDelayFromStatusDetails } from './retry-info.js';

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface OtlpGrpcSenderOptions {
  /** `host:port`, `http://host:port` (plaintext), `https://host:port` (TLS) or `unix:/path`. */
  endpoint: string;
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Deadline per call; default 10 s. */
  timeoutMs?: number;
}

/** Codes the OTLP spec calls retryable; everything else (INVALID_ARGUMENT, ...) is permanent. */
const RETRYABLE = new Set([
  grpc.status.CANCELLED,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.ABORTED,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.INTERNAL,
  grpc.status.UNKNOWN,
]);

const identity = (b: Buffer): Buffer => b;

export function grpcTarget(endpoint: string): { target: string; tls: boolean } {
  const e = endpoint.trim();
  if (e.startsWith('unix:')) return { target: e, tls: false };
  const m = /^(?:(https?):\/\/)?([^/]+?)\/?$/.exec(e);
  if (!m || !/:\d+$/.test(m[2]!)) throw new Error(`otlp-grpc endpoint "${endpoint}" is not host:port, http(s)://host:port or unix:/path`);
  return { target: m[2]!, tls: m[1] === 'https' };
}

export function mapGrpcError(name: string, err: grpc.ServiceError): Error {
  const msg = `${name}: ${grpc.status[err.code] ?? err.code} ${err.details ?? err.message}`;
  if (!RETRYABLE.has(err.code)) return new PermanentError(msg);
  const details = err.metadata?.get('grpc-status-details-bin')[0];
  let delay = details instanceof Buffer ? retryDelayFromStatusDetails(details) : undefined;
  const ra = err.metadata?.get('retry-after')[0];
  if (delay === undefined && typeof ra === 'string' && /^\d+$/.test(ra)) delay = Number(ra) * 1000;
  return new RetryableError(msg, delay);
}

export function otlpGrpcSender(opts: OtlpGrpcSenderOptions): Sender {
  const { target, tls } = grpcTarget(opts.endpoint);
  const creds = tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  const options: grpc.ChannelOptions = { 'grpc.max_send_message_length': 64 << 20 };
  if (opts.gzip) options['grpc.default_compression_algorithm'] = 2;
  const client = new grpc.Client(target, creds, options);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const name = `otlp-grpc ${target}`;
  return {
    name,
    send(spans: Span[], signal?: AbortSignal): Promise<void> {
      const body = Buffer.from(encodeOtlpProto(spans));
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(opts.headers ?? {})) md.set(k, v);
      return new Promise<void>((resolve, reject) => {
        const call = client.makeUnaryRequest(
          TRACE_EXPORT_PATH,
          identity,
          identity,
          body,
          md,
          { deadline: Date.now() + timeoutMs },
          (err) => {
            signal?.removeEventListener('abort', onAbort);
            if (err) reject(mapGrpcError(name, err));
            else resolve();
          },
        );
        const onAbort = () => call.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async close() {
      client.close();
    },
  };
}
