/**
 * Entry point of the `skein` command. `skein exec` takes a fast path that loads neither
 * commander nor any heavy module (its start-up time is its cost); everything else builds the
 * commander program, and each command loads what it needs inside its action.
 */
import { CliError } from './errors.js';

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'exec') {
    const { wantsHelp } = await import('./exec/options.js');
    if (!wantsHelp(argv.slice(1))) {
      const { execFromArgv } = await import('./exec/fast.js');
      await execFromArgv(argv.slice(1));
      return;
    }
  }
  const { buildProgram } = await import('./program.js');
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    process.exitCode = exitCodeOf(e);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(`skein: ${e.message} [${e.code}]\n`);
    return e.exitCode;
  }
  const ce = e as { code?: string; exitCode?: number };
  // commander already printed its own message (help, version, unknown option ...)
  if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) return ce.exitCode ?? 2;
  process.stderr.write(`skein: ${(e as Error)?.message ?? String(e)}\n`);
  return 1;
}
