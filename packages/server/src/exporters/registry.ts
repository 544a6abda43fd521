/**
 * `--to URL` -> Sender: `otlp-http://host:port[/path][?encoding=json&gzip=1]`, `otlp-https://...`,
 * `otlp-grpc://host:port[?gzip=1]`, `zipkin://host:port`, `jaeger-http://host:port`,
 * `datadog://host:port`, `file:/path.jsonl`. A bad URL is an error that names it.
 */
import type { Sender } from './sender.js';
import { otlpGrpcSender } from './otlp-grpc/index.js';
import { otlpHttpSender } from './otlp-http/index.js';
import { zipkinSender } from './zipkin/index.js';
import { jaegerThriftHttpSender } from './jaeger-thrift-http/index.js';
import { datadogSender } from './datadog/index.js';
import { fileSender } from './file/index.js';

export interface SenderUrlOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export const DESTINATION_SCHEMES = ['otlp-http', 'otlp-https', 'otlp-grpc', 'zipkin', 'jaeger-http', 'datadog', 'file'] as const;

const EXAMPLES = 'otlp-http://host:4318, otlp-grpc://host:4317, zipkin://host:9411, jaeger-http://host:14268, datadog://host:8126 or file:/path.jsonl';

/** The scheme of a destination URL ('file' for `file:`), or an error naming the URL. */
export function destinationKind(url: string): (typeof DESTINATION_SCHEMES)[number] {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  const scheme = m?.[1]!.toLowerCase();
  if (!scheme || !(DESTINATION_SCHEMES as readonly string[]).includes(scheme)) {
    throw new Error(`destination "${url}": unknown scheme${scheme ? ` "${scheme}"` : ''}; use ${EXAMPLES}`);
  }
  return scheme as (typeof DESTINATION_SCHEMES)[number];
}

function hostUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error(`destination "${url}" is not a URL; use ${EXAMPLES}`);
  }
  if (!u.hostname || !u.port) throw new Error(`destination "${url}" needs a host and a port, e.g. ${u.protocol}//127.0.0.1:4318`);
  return u;
}

function flag(u: URL, key: string): boolean {
  const v = u.searchParams.get(key);
  return v === '1' || v === 'true';
}

export function senderFromUrl(url: string, opts: SenderUrlOptions = {}): Sender {
  const kind = destinationKind(url);
  if (kind === 'file') {
    const path = url.trim().slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path.startsWith('/')) throw new Error(`destination "${url}": a file destination needs an absolute path, e.g. file:/var/log/spans.jsonl`);
    return fileSender(path);
  }
  const u = hostUrl(url);
  const host = u.host;
  const path = u.pathname === '/' ? '' : u.pathname;
  switch (kind) {
    case 'otlp-http':
    case 'otlp-https': {
      const enc = u.searchParams.get('encoding') ?? 'protobuf';
      if (enc !== 'protobuf' && enc !== 'json') throw new Error(`destination "${url}": encoding must be protobuf or json`);
      return otlpHttpSender({
        endpoint: `${kind === 'otlp-https' ? 'https' : 'http'}://${host}${path}`,
        encoding: enc,
        gzip: flag(u, 'gzip'),
        headers: opts.headers,
        timeoutMs: opts.timeoutMs,
      });
    }
    case 'otlp-grpc':
      return otlpGrpcSender({ endpoint: host, gzip: flag(u, 'gzip'), headers: opts.headers, timeoutMs: opts.timeoutMs });
    case 'zipkin':
      return zipkinSender(`http://${host}${path}`, opts);
    case 'jaeger-http':
      return jaegerThriftHttpSender(`http://${host}${path}`, opts);
    case 'datadog':
      return datadogSender(`http://${host}${path}`, opts);
  }
}
