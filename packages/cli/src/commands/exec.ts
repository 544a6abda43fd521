/** `skein exec`: the commander face of the exec fast path (help, and runs when not on the fast path). */
import type { Command } from 'commander';
import type { ExecOptions } from '../exec/options.js';
import { addExportOptions, addSpanOptions } from './options.js';

export function registerExecCommand(program: Command): void {
  const cmd = program
    .command('exec')
    .description('run a command inside a span; nested calls build one trace through TRACEPARENT')
    .argument('<command...>', 'the command and its arguments (put them after --)')
    .option('-n, --name <name>', 'span name (default: the command line)');
  addSpanOptions(cmd);
  addExportOptions(cmd);
  cmd
    .passThroughOptions()
    .addHelpText(
      'after',
      `
The command gets TRACEPARENT for its own span, stdio is untouched, and its exit code or signal
becomes skein's; a signal sent to skein reaches the command. When no backend listens the command
still runs exactly as without skein (one warning on stderr, none with --quiet).

Examples:
  $ skein exec -- make test
  $ skein exec --name build --service ci --attr git.sha=$(git rev-parse HEAD) -- ./build.sh
  $ OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 skein exec -- ./deploy.sh
  $ skein exec --endpoint unix:/run/skein/forward.sock -- ./agent`,
    )
    .action(async (command: string[], o: Record<string, unknown>) => {
      const { runExec } = await import('../exec/run.js');
      const opts: ExecOptions = { ...(o as Omit<ExecOptions, 'attr'>), attr: (o.attr as string[]) ?? [] };
      if (o.kind === 'internal') delete opts.kind;
      await runExec(opts, command);
    });
}
