/** Every receiver `skein serve` can run, with its flag and default endpoint (DESIGN.md ports). */
import type { ReceiverFactory } from '../pipeline/component.js';
import { datadogReceiverFactory } from './datadog/index.js';
import { jaegerHttpReceiverFactory } from './jaeger-http/index.js';
import { jaegerBinaryReceiverFactory, jaegerCompactReceiverFactory } from './jaeger-udp/index.js';
import { otlpGrpcReceiverFactory } from './otlp-grpc/index.js';
import { otlpHttpReceiverFactory } from './otlp-http/index.js';
import { zipkinReceiverFactory } from './zipkin/index.js';

export interface ReceiverEntry {
  /** The `skein serve` option name (camelCase of the flag). */
  option: string;
  defaultEndpoint: string;
  factory: ReceiverFactory<{ endpoint: string }>;
}

export const RECEIVERS: ReceiverEntry[] = [
  { option: 'otlpGrpc', defaultEndpoint: '127.0.0.1:4317', factory: otlpGrpcReceiverFactory },
  { option: 'otlpHttp', defaultEndpoint: '127.0.0.1:4318', factory: otlpHttpReceiverFactory },
  { option: 'zipkin', defaultEndpoint: '127.0.0.1:9411', factory: zipkinReceiverFactory },
  { option: 'jaegerHttp', defaultEndpoint: '127.0.0.1:14268', factory: jaegerHttpReceiverFactory },
  { option: 'jaegerCompact', defaultEndpoint: '127.0.0.1:6831', factory: jaegerCompactReceiverFactory },
  { option: 'jaegerBinary', defaultEndpoint: '127.0.0.1:6832', factory: jaegerBinaryReceiverFactory },
  { option: 'datadog', defaultEndpoint: '127.0.0.1:8126', factory: datadogReceiverFactory },
];
