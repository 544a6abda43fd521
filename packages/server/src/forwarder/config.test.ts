import { describe, expect, it } from 'vitest';
import { parseForwardConfig, parseFsync, parseSize } from './config.js';

describe('forward config', () => {
  it('reads Collector-shaped YAML into destination URLs, filtered by service.pipelines', () => {
    const { raw, destinations } = parseForwardConfig(`
receivers:
  otlp:
    protocols:
      grpc: { endpoint: "unix:/run/skein/otlp.sock" }
  framed: { endpoint: ":7000", header_bytes: 8 }
  hybrid_vsock: { path: "/run/vm/v.sock:4317" }
exporters:
  otlp/tempo: { endpoint: "tempo:4317", compression: gzip }
  otlphttp/jaeger: { endpoint: "http://jaeger:4318", encoding: json, headers: { x-a: b } }
  zipkin: { endpoint: "http://zipkin:9411" }
  file/unused: { path: /tmp/x.jsonl }
  forward/any: { url: "datadog://dd:8126" }
forward:
  spool: { directory: /var/spool/skein, max_size: 2GB, fsync: 100ms, when_full: refuse }
  route_by_trace_id: true
service:
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp/tempo, otlphttp/jaeger, zipkin, forward/any] }
`);
    expect(destinations).toEqual([
      { name: 'otlp/tempo', url: 'otlp-grpc://tempo:4317?gzip=1', headers: undefined },
      { name: 'otlphttp/jaeger', url: 'otlp-http://jaeger:4318?encoding=json', headers: { 'x-a': 'b' } },
      { name: 'zipkin', url: 'zipkin://zipkin:9411' },
      { name: 'forward/any', url: 'datadog://dd:8126' },
    ]);
    expect(raw.receivers?.framed?.header_bytes).toBe(8);
    expect(raw.forward?.spool?.when_full).toBe('refuse');
  });

  it('names the bad key by its path', () => {
    expect(() => parseForwardConfig('forward:\n  spool:\n    max_sise: 1GB\n', 'f.yaml')).toThrow(/f\.yaml: forward\.spool.*max_sise/);
    expect(() => parseForwardConfig('exporters:\n  otlp: { endpont: x }\n')).toThrow(/exporters\.otlp/);
    expect(() => parseForwardConfig('exporters:\n  kafka: { url: x }\n')).toThrow(/unknown exporter type "kafka"/);
    expect(() => parseForwardConfig('service:\n  pipelines:\n    traces: { exporters: [nope] }\n')).toThrow(/"nope"/);
  });

  it('parses sizes and fsync policies', () => {
    expect(parseSize('1GB')).toBe(1e9);
    expect(parseSize('512MiB')).toBe(512 * 1024 * 1024);
    expect(parseSize('64kb')).toBe(64_000);
    expect(parseSize(1234)).toBe(1234);
    expect(() => parseSize('lots', '--spool-max')).toThrow(/--spool-max: "lots"/);
    expect(parseFsync('batch')).toBe('batch');
    expect(parseFsync('250ms')).toEqual({ intervalMs: 250 });
    expect(parseFsync('1s')).toEqual({ intervalMs: 1000 });
    expect(() => parseFsync('sometimes')).toThrow(/sometimes/);
  });
});
