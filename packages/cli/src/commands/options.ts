/** Options several commands share, declared once so their help reads the same everywhere. */
import type { Command } from 'commander';

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addSpanOptions(cmd: Command): Command {
  return cmd
    .option('-s, --service <name>', 'service.name of the span (default: inherited, $OTEL_SERVICE_NAME, or "skein")')
    .option('-a, --attr <key=value>', 'span attribute; repeatable; true/false and numbers keep their type', collect, [])
    .option('--kind <kind>', 'span kind: internal, server, client, producer, consumer', 'internal')
    .option('--traceparent <value>', 'parent span as a W3C traceparent (default: $TRACEPARENT)')
    .option('--carrier <file>', 'read the parent TRACEPARENT from this file');
}

export function addExportOptions(cmd: Command): Command {
  return cmd
    .option('-e, --endpoint <url>', 'OTLP endpoint: base URL, or unix:/path of a skein forward framed socket (default: $OTEL_EXPORTER_OTLP_ENDPOINT or http://127.0.0.1:4318)')
    .option('--protocol <p>', 'http/protobuf, http/json, grpc or framed (default: $OTEL_EXPORTER_OTLP_PROTOCOL or http/protobuf)')
    .option('-q, --quiet', 'no warning when spans cannot be exported');
}

export function addServerOption(cmd: Command): Command {
  return cmd.option('--server <url>', 'query API of skein serve (default: $SKEIN_SERVER or http://127.0.0.1:16686)');
}

export const serverUrl = (flag: string | undefined): string =>
  (flag ?? process.env.SKEIN_SERVER ?? 'http://127.0.0.1:16686').replace(/\/+$/, '');
