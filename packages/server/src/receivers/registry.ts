/** Every receiver `skein serve` can run, with its flag and default endpoint (DESIGN.md ports). */
import type { ReceiverFactory } from '../pipeline/component.js';
import { otlpGrpcReceiverFactory } from './otlp-grpc/index.js';
import { otlpHttpReceiverFactory } from './otlp-http/index.js';

export interface ReceiverEntry {
  /** The `skein serve` option name (camelCase of the flag). */
  option: string;
  defaultEndpoint: string;
  factory: ReceiverFactory<{ endpoint: string }>;
}

export const RECEIVERS: ReceiverEntry[] = [
  { option: 'otlpGrpc', defaultEndpoint: '127.0.0.1:4317', factory: otlpGrpcReceiverFactory },
  { option: 'otlpHttp', defaultEndpoint: '127.0.0.1:4318', factory: otlpHttpReceiverFactory },
];
