/** Reading traces from a terminal: `trace show`, `search`, `services`, `stats`, `tail`. */
import { InvalidArgumentError, type Command } from 'commander';
import { addServerOption, collect } from './options.js';

const int = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${what} needs a positive whole number`);
  return n;
};

export function registerReadCommands(program: Command): void {
  const trace = program
    .command('trace')
    .description('read one trace')
    .addHelpText('after', '\nExamples:\n  $ skein trace show 4bf92f3577b34da6a3ce929d0e0e4736\n  $ skein trace 4bf92f3577b34da6a3ce929d0e0e4736 --json   (show is the default)');
  // `skein trace <id>` is what people type first; it shows the trace rather than failing.
  const show = trace
    .command('show', { isDefault: true })
    .description('draw a trace as a waterfall: tree, time bars, services, errors, critical path')
    .argument('<trace-id>', 'trace id (32 hex digits; shorter ids are zero-padded)')
    .option('--json', 'print the tree as JSON (spans with depth, critical flag, times in ns)')
    .option('--width <columns>', 'draw for this many columns (default: the terminal width)', int('--width'))
    .option('--events', 'list span events under their spans')
    .option('--color', 'colour even when not writing to a terminal')
    .option('--no-color', 'no colour (also: NO_COLOR=1)');
  addServerOption(show);
  show
    .addHelpText(
      'after',
      `
Examples:
  $ skein trace show 4bf92f3577b34da6a3ce929d0e0e4736
  $ skein trace show 4bf92f3577b34da6a3ce929d0e0e4736 --events --width 200 | less -R
  $ skein trace show 4bf92f3577b34da6a3ce929d0e0e4736 --json | jq '.spans[] | select(.error)'

A waterfall taller than the terminal opens in $SKEIN_PAGER, $PAGER or \`less -FRX\` (SKEIN_PAGER= turns that off).`,
    )
    .action(async (id: string, o: Record<string, unknown>) => {
      const { showTrace } = await import('../read/show.js');
      await showTrace(id, o);
    });

  const search = program
    .command('search')
    .description('find traces by service, operation, attributes, duration and time; prints a table')
    .option('-s, --service <name>', 'service that must take part (required by Jaeger backends)')
    .option('-o, --operation <name>', 'span name within that service')
    .option('-a, --attr <key=value>', 'attribute a span must have; repeatable', collect, [])
    .option('--min-duration <d>', 'at least this long, e.g. 250ms, 1.5s')
    .option('--max-duration <d>', 'at most this long')
    .option('--since <d>', 'look back this far from now (e.g. 15m, 24h)', '1h')
    .option('--start <time>', 'from this time (ISO 8601 or unix seconds); overrides --since')
    .option('--end <time>', 'until this time (default: now)')
    .option('-l, --limit <n>', 'at most this many traces', int('--limit'), 20)
    .option('--json', 'print the matching traces as JSON lines');
  addServerOption(search);
  search
    .addHelpText(
      'after',
      `
Examples:
  $ skein search --service ci
  $ skein search --service ci --operation "make test" --min-duration 30s --since 24h
  $ skein search --service kata-agent --attr sandbox.id=42 --limit 5`,
    )
    .action(async (o: Record<string, unknown>) => {
      const { searchTraces } = await import('../read/search.js');
      await searchTraces(o as unknown as Parameters<typeof searchTraces>[0]);
    });

  const services = program.command('services').description('list the services that sent spans').option('--json', 'print JSON');
  addServerOption(services);
  services
    .addHelpText('after', '\nExamples:\n  $ skein services\n  $ skein services --server http://tracing.internal:16686')
    .action(async (o: Record<string, unknown>) => {
      const { listServices } = await import('../read/search.js');
      await listServices(o);
    });

  const stats = program
    .command('stats')
    .description('requests, errors and latency (p50/p95/p99) per service, or per operation of one service')
    .option('-s, --service <name>', 'one row per operation of this service instead of one per service')
    .option('-k, --kind <kind>', 'only spans of this kind: server, client, internal, producer, consumer, unspecified (default: all)')
    .option('--since <d>', 'over this long up to now (e.g. 15m, 24h)', '1h')
    .option('--json', 'print a JSON line per row');
  addServerOption(stats);
  stats
    .addHelpText('after', '\nExamples:\n  $ skein stats\n  $ skein stats --service containerd --kind server --since 24h\n\nRows come busiest first (requests x p95). The UI\'s Monitor page charts the same figures over time.')
    .action(async (o: Record<string, unknown>) => {
      const { printStats } = await import('../read/stats.js');
      await printStats(o);
    });

  const tail = program
    .command('tail')
    .description('print spans as skein serve ingests them')
    .option('-s, --service <name>', 'only spans of this service')
    .option('--json', 'print each batch as the OTLP JSON line the server sends')
    .option('--color', 'colour even when not writing to a terminal')
    .option('--no-color', 'no colour');
  addServerOption(tail);
  tail
    .addHelpText('after', '\nExamples:\n  $ skein tail\n  $ skein tail --service ci --json | jq .')
    .action(async (o: Record<string, unknown>) => {
      const { tailSpans } = await import('../read/tail.js');
      await tailSpans(o);
    });
}
