/** The `skein exec` fast path: hand-parsed options, no commander. */
import { parseExecArgs, wantsHelp } from './options.js';
import { runExec } from './run.js';

/**
 * Runs `skein exec` (the process then ends with the command's status) and returns true, or
 * returns false when the arguments ask for help, which commander prints.
 */
export function execFromArgv(argv: string[]): boolean {
  if (wantsHelp(argv)) return false;
  let parsed: ReturnType<typeof parseExecArgs>;
  try {
    parsed = parseExecArgs(argv);
  } catch (e) {
    process.stderr.write(`skein: ${(e as Error).message}\n`);
    process.exit(2);
  }
  runExec(parsed.opts, parsed.command).catch((e: unknown) => {
    process.stderr.write(`skein: ${(e as Error).message}\n`);
    process.exit(1);
  });
  return true;
}
