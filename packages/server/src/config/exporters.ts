/** Turns the exporters of a serve config into Senders (the forwarder's registry does the same for --to URLs). */
import type { Sender } from '../exporters/sender.js';
import { otlpHttpSender } from '../exporters/otlp-http/index.js';
import { otlpGrpcSender } from '../exporters/otlp-grpc/index.js';
import { zipkinSender } from '../exporters/zipkin/index.js';
import { jaegerThriftHttpSender } from '../exporters/jaeger-thrift-http/index.js';
import { datadogSender } from '../exporters/datadog/index.js';
import { fileSender } from '../exporters/file/index.js';
import { durationMs, type ExporterSpec } from './serve-config.js';

interface Remote {
  endpoint: string;
  compression?: 'gzip' | 'none';
  encoding?: 'proto' | 'json';
  headers?: Record<string, string>;
  timeout?: string | number;
}

export function senderFor(spec: ExporterSpec): Sender {
  const r = spec.config as unknown as Remote;
  const common = { gzip: r.compression !== 'none', headers: r.headers, timeoutMs: durationMs(r.timeout, 10_000) };
  switch (spec.type) {
    case 'otlphttp':
      return otlpHttpSender({ endpoint: r.endpoint, encoding: r.encoding === 'json' ? 'json' : 'protobuf', ...common });
    case 'otlp':
      return otlpGrpcSender({ endpoint: r.endpoint, ...common });
    case 'zipkin':
      return zipkinSender(r.endpoint);
    case 'jaeger_thrift_http':
      return jaegerThriftHttpSender(r.endpoint);
    case 'datadog':
      return datadogSender(r.endpoint);
    case 'file': {
      const f = spec.config as { path: string; rotation?: { max_megabytes?: number; max_backups?: number } };
      return fileSender(f.path, {
        maxBytes: f.rotation?.max_megabytes ? f.rotation.max_megabytes * 1024 * 1024 : undefined,
        maxFiles: f.rotation?.max_backups,
      });
    }
    case 'skein':
      throw new Error('the skein exporter is the store, not a sender');
  }
}
