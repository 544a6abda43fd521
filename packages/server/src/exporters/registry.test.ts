import { describe, expect, it } from 'vitest';
import { destinationKind, senderFromUrl } from './registry.js';

describe('senderFromUrl', () => {
  it('builds a sender per scheme, named for its target', async () => {
    const cases: Array<[string, RegExp]> = [
      ['otlp-http://127.0.0.1:4318', /^otlp-http http:\/\/127\.0\.0\.1:4318\/v1\/traces$/],
      ['otlp-https://collector:443/otlp', /^otlp-http https:\/\/collector\/otlp\/v1\/traces$/],
      ['otlp-grpc://127.0.0.1:4317?gzip=1', /^otlp-grpc 127\.0\.0\.1:4317$/],
      ['zipkin://127.0.0.1:9411', /zipkin.*9411\/api\/v2\/spans/],
      ['jaeger-http://127.0.0.1:14268', /14268/],
      ['datadog://127.0.0.1:8126', /datadog.*8126\/v0\.4\/traces/],
      ['file:/tmp/skein-registry-test.jsonl', /^file \/tmp\/skein-registry-test\.jsonl$/],
      ['file:///tmp/skein-registry-test.jsonl', /^file \/tmp\/skein-registry-test\.jsonl$/],
    ];
    for (const [url, name] of cases) {
      const s = senderFromUrl(url);
      expect(s.name).toMatch(name);
      await s.close?.();
    }
  });

  it('rejects bad URLs with an error naming them', () => {
    expect(() => senderFromUrl('kafka://x:1')).toThrow(/"kafka:\/\/x:1".*unknown scheme "kafka"/);
    expect(() => senderFromUrl('127.0.0.1:4318')).toThrow(/"127\.0\.0\.1:4318"/);
    expect(() => senderFromUrl('otlp-http://collector')).toThrow(/"otlp-http:\/\/collector" needs a host and a port/);
    expect(() => senderFromUrl('otlp-http://h:1?encoding=xml')).toThrow(/encoding must be protobuf or json/);
    expect(() => senderFromUrl('file:relative.jsonl')).toThrow(/absolute path/);
    expect(destinationKind('OTLP-GRPC://h:1')).toBe('otlp-grpc');
  });
});
