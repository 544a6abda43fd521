/**
 * Entry point of the `skein` command. `skein exec` takes a fast path that loads neither
 * commander nor any heavy module (its start-up time is its cost); everything else builds the
 * commander program, and each command loads what it needs inside its action.
 */
import type { CliError as CliErrorClass } from './errors.js';
// static: the exec path's small graph loads with this module, without another async hop
import { execFromArgv } from './exec/fast.js';

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'exec' && execFromArgv(argv.slice(1))) return;
  const { buildProgram } = await import('./program.js');
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const { CliError } = await import('./errors.js');
    process.exitCode = exitCodeOf(e, CliError);
  }
}

function exitCodeOf(e: unknown, CliError: typeof CliErrorClass): number {
  if (e instanceof CliError) {
    process.stderr.write(`skein: ${e.message} [${e.code}]\n`);
    return e.exitCode;
  }
  const ce = e as { code?: string; exitCode?: number };
  // commander already printed its own message (help, version, unknown option ...)
  // help and version exit 0; every other commander error is a usage error (2, as shells use it)
  if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) return ce.exitCode === 0 ? 0 : 2;
  process.stderr.write(`skein: ${(e as Error)?.message ?? String(e)}\n`);
  return 1;
}
