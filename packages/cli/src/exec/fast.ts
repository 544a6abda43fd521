/** The `skein exec` fast path: hand-parsed options, no commander. */
import { parseExecArgs } from './options.js';
import { runExec } from './run.js';

export async function execFromArgv(argv: string[]): Promise<never> {
  let parsed: ReturnType<typeof parseExecArgs>;
  try {
    parsed = parseExecArgs(argv);
  } catch (e) {
    process.stderr.write(`skein: ${(e as Error).message}\n`);
    process.exit(2);
  }
  return runExec(parsed.opts, parsed.command);
}
