import { describe, expect, it } from 'vitest';
import { parseServeConfig } from './serve-config.js';

const good = `
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:5317 }
      http: { endpoint: 127.0.0.1:5318 }
  zipkin: { endpoint: :9412 }
processors:
  batch: { send_batch_size: 1000, timeout: 10ms }
exporters:
  skein: {}
  zipkin/remote: { endpoint: http://127.0.0.1:9999 }
  file: { path: /tmp/x.jsonl }
service:
  pipelines:
    traces: { receivers: [otlp, zipkin], processors: [batch], exporters: [skein, zipkin/remote] }
`;

describe('serve config', () => {
  it('reads a Collector-shaped file and keeps only the exporters the pipeline uses', () => {
    const c = parseServeConfig(good);
    expect(c.file.receivers?.otlp?.protocols.grpc?.endpoint).toBe('127.0.0.1:5317');
    expect(c.exporters.map((e) => `${e.id}:${e.type}`)).toEqual(['skein:skein', 'zipkin/remote:zipkin']);
  });

  it('names an unknown key by its path', () => {
    expect(() => parseServeConfig(good.replace('http: { endpoint: 127.0.0.1:5318 }', 'htp: { endpoint: x }'))).toThrow(
      /unknown key receivers\.otlp\.protocols\.htp/,
    );
    expect(() => parseServeConfig(good.replace('send_batch_size: 1000', 'send_batch_size: "lots"'))).toThrow(
      /processors\.batch\.send_batch_size/,
    );
  });

  it('names an exporter of an unknown type or a pipeline entry that is not declared', () => {
    expect(() => parseServeConfig(good.replace('file: { path: /tmp/x.jsonl }', 'kafka: {}'))).toThrow(/exporters\.kafka: unknown exporter type "kafka"/);
    expect(() => parseServeConfig(good.replace('exporters: [skein, zipkin/remote]', 'exporters: [skein, zipkin/other]'))).toThrow(
      /service\.pipelines\.traces\.exporters\[1\]: "zipkin\/other" is not declared/,
    );
    expect(() => parseServeConfig('receivers: [')).toThrow(/not valid YAML/);
  });
});
