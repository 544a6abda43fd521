/** Moving traces: `import` files into skein, `export` a trace as OTLP JSON, Jaeger or Zipkin JSON. */
import { InvalidArgumentError, type Command } from 'commander';
import { addServerOption } from './options.js';

export function registerMoveCommands(program: Command): void {
  program
    .command('import')
    .description('load trace files (OTLP JSON / JSON lines / protobuf, Jaeger JSON, Zipkin JSON) into skein')
    .argument('<files...>', 'files to import; the format is detected from the name and content')
    .option('-f, --format <f>', 'auto, otlp-json, otlp-jsonl, otlp-proto, jaeger or zipkin', 'auto')
    .option('-e, --endpoint <url>', 'OTLP/HTTP base URL of a running skein serve (default: $OTEL_EXPORTER_OTLP_ENDPOINT or http://127.0.0.1:4318)')
    .option('-d, --data <dir>', 'write straight into this data directory (<dir>/skein.duckdb) instead; no server may have it open')
    .option('--batch <spans>', 'spans per write', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('--batch needs a positive whole number');
      return n;
    }, 5000)
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ skein import traces.jsonl                      # into the skein serve on this machine
  $ skein import --data ./.skein dump/*.json       # into a data directory (serve stopped)
  $ skein import --format jaeger trace-from-jaeger-ui.json
  $ skein import --endpoint http://tracing.internal:4318 export.pb`,
    )
    .action(async (files: string[], o: Record<string, unknown>) => {
      const { importFiles, formatSummary } = await import('../move/import.js');
      const summary = await importFiles(files, { ...o, batch: o.batch as number } as Parameters<typeof importFiles>[1]);
      process.stderr.write(formatSummary(summary, (o.data as string | undefined) ?? 'the collector'));
      if (summary.spans === 0 && summary.skipped.size > 0) process.exitCode = 5;
    });

  const exp = program
    .command('export')
    .description('write one trace as OTLP JSON, Jaeger JSON or Zipkin JSON')
    .argument('[trace-id]', 'trace id, as `skein trace show` takes it')
    .option('-t, --trace <id>', 'trace id (the same, as an option)')
    .option('-f, --format <f>', 'otlp-json, jaeger or zipkin', 'otlp-json')
    .option('-o, --output <file>', 'write to this file instead of stdout');
  addServerOption(exp);
  exp
    .addHelpText(
      'after',
      `
Examples:
  $ skein export 4bf92f3577b34da6a3ce929d0e0e4736 > trace.json
  $ skein export --trace 4bf92f3577b34da6a3ce929d0e0e4736 --format jaeger -o trace.jaeger.json
  $ skein export --trace 4bf92f3577b34da6a3ce929d0e0e4736 --format zipkin | curl -X POST -H 'content-type: application/json' --data-binary @- http://zipkin:9411/api/v2/spans`,
    )
    .action(async (id: string | undefined, o: { trace?: string; format: string; server?: string; output?: string }) => {
      const { exportTrace } = await import('../move/export.js');
      await exportTrace({ ...o, trace: id ?? o.trace });
    });
}
