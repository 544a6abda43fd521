/** Builds the commander program: every `skein` command, each with help and examples. */
import { Command } from 'commander';
import { registerExecCommand } from './commands/exec.js';
import { registerForwardCommand } from './commands/forward.js';
import { registerReadCommands } from './commands/read.js';
import { registerMoveCommands } from './commands/move.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSpanCommand } from './commands/span.js';
import { registerCompletionsCommand } from './commands/completions.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('skein')
    .description('distributed tracing for systems software: trace scripts and pipelines, collect, store and read traces')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .enablePositionalOptions()
    // errors come back to main (inherited by every command registered below), which maps them to exit codes
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Examples:
  $ skein serve                                  # collector + store + UI on http://127.0.0.1:16686
  $ skein exec -- make test                      # run a command inside a span
  $ skein trace show 4bf92f3577b34da6a3ce929d0e0e4736
  $ skein search --service ci --min-duration 1s
  $ skein completions bash > /etc/bash_completion.d/skein

Every command has its own help: skein help <command>, or skein <command> --help.`,
    );
  registerServeCommand(program);
  registerForwardCommand(program);
  registerExecCommand(program);
  registerSpanCommand(program);
  registerReadCommands(program);
  registerMoveCommands(program);
  registerCompletionsCommand(program);
  return program;
}
