/** `skein span`: spans a script cannot wrap — finished spans, and background spans with events. */
import type { Command } from 'commander';
import { CliError, usageError } from '../errors.js';
import { collect, addExportOptions } from './options.js';

interface SpanFlags {
  name?: string;
  service?: string;
  attr: string[];
  kind?: string;
  traceparent?: string;
  carrier?: string;
  spanId?: string;
  start?: string;
  end?: string;
  time?: string;
  status?: string;
  statusMessage?: string;
  endpoint?: string;
  protocol?: string;
  quiet?: boolean;
  print?: boolean;
}

const EXAMPLES = `
Examples:
  # a span for work that already happened (times: date +%s.%N, ms, ns or ISO 8601)
  $ skein span --name restore-cache --start "$t0" --end "$(date +%s.%N)"

  # a background span: its TRACEPARENT makes later commands its children
  $ export TRACEPARENT=$(skein span start --name deploy --attr env=staging)
  $ skein span event --name "images pulled" --attr count=12
  $ skein exec -- kubectl rollout status deploy/web
  $ skein span end --status ok

  # the same with a carrier file instead of the variable
  $ skein span start --name soak --carrier /tmp/soak.tp
  $ skein exec --carrier /tmp/soak.tp -- ./soak-test.sh
  $ skein span end --carrier /tmp/soak.tp`;

export function registerSpanCommand(program: Command): void {
  const span = program
    .command('span')
    .description('record a finished span, or start / add events to / end a background span')
    .option('-n, --name <name>', 'span name')
    .option('--start <time>', 'start time (unix s[.ns], ms, ns, ISO 8601 or "now")')
    .option('--end <time>', 'end time ', 'now')
    .option('--status <s>', 'ok, error or unset', 'unset')
    .option('--status-message <text>', 'status description (e.g. the error)')
    .option('--print', 'print the TRACEPARENT of the recorded span');
  spanIdentity(span);
  addExportOptions(span);
  span.addHelpText('after', EXAMPLES).action(async (o: SpanFlags) => {
    if (!o.name || !o.start) throw usageError('skein span needs --name and --start (or use `skein span start` for a background span)');
    const { recordFinished } = await import('../trace/span-actions.js');
    await recordFinished(o);
  });

  const start = span
    .command('start')
    .description('begin a background span; prints its TRACEPARENT (or writes it to --carrier FILE)')
    .requiredOption('-n, --name <name>', 'span name')
    .option('--start <time>', 'start time ', 'now')
    .option('--carrier <file>', 'write TRACEPARENT=... of the new span to this file instead of stdout')
    .option('--print', 'print the TRACEPARENT even with --carrier');
  spanIdentity(start, false);
  addExportOptions(start);
  start.addHelpText('after', EXAMPLES).action(async (o: SpanFlags) => {
    const { startBackground } = await import('../trace/span-actions.js');
    await startBackground(o);
  });

  span
    .command('event')
    .description('add an event to the open background span')
    .requiredOption('-n, --name <name>', 'event name')
    .option('-a, --attr <key=value>', 'event attribute; repeatable', collect, [])
    .option('--time <time>', 'event time ', 'now')
    .option('--carrier <file>', 'the span whose TRACEPARENT this file holds (default: $TRACEPARENT)')
    .option('--span-id <id>', 'the span with this id (default: $TRACEPARENT)')
    .addHelpText('after', EXAMPLES)
    .action(async (o: SpanFlags) => {
      const { addEvent } = await import('../trace/span-actions.js');
      await addEvent(o);
    });

  const end = span
    .command('end')
    .description('end the open background span and export it')
    .option('--status <s>', 'ok, error or unset', 'unset')
    .option('--status-message <text>', 'status description (e.g. the error)')
    .option('-a, --attr <key=value>', 'more span attributes; repeatable', collect, [])
    .option('--end <time>', 'end time ', 'now')
    .option('--carrier <file>', 'the span whose TRACEPARENT this file holds (default: $TRACEPARENT)')
    .option('--span-id <id>', 'the span with this id (default: $TRACEPARENT)');
  addExportOptions(end);
  end.addHelpText('after', EXAMPLES).action(async (o: SpanFlags) => {
    const { endBackground } = await import('../trace/span-actions.js');
    await endBackground(o);
  });
}

function spanIdentity(cmd: Command, withCarrier = true): void {
  cmd
    .option('-s, --service <name>', 'service.name (default: inherited, $OTEL_SERVICE_NAME, or "skein")')
    .option('-a, --attr <key=value>', 'span attribute; repeatable; true/false and numbers keep their type', collect, [])
    .option('--kind <kind>', 'internal, server, client, producer or consumer', 'internal')
    .option('--traceparent <value>', 'parent span (default: $TRACEPARENT)');
  if (withCarrier) cmd.option('--carrier <file>', 'read the parent TRACEPARENT from this file');
}

export type { SpanFlags };
export { CliError };
