/**
 * A waterfall taller than the terminal goes through a pager, as git's output does:
 * $SKEIN_PAGER, else $PAGER, else `less -FRX` (quits at once when the text fits, keeps colours).
 * An empty SKEIN_PAGER, or output that is not a terminal, prints straight away.
 */
import { spawn } from 'node:child_process';

interface Out {
  isTTY?: boolean;
  rows?: number;
  write(text: string): unknown;
}

/** The pager command for `text` on `out`, or undefined to print directly. */
export function pagerFor(text: string, out: Out, env: Record<string, string | undefined> = process.env): string | undefined {
  if (!out.isTTY) return undefined;
  const cmd = (env.SKEIN_PAGER ?? env.PAGER ?? 'less -FRX').trim();
  if (cmd === '' || cmd === 'cat') return undefined;
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0 && lines < (out.rows ?? 24); at = text.indexOf('\n', at + 1)) lines++;
  return lines >= (out.rows ?? 24) ? cmd : undefined;
}

/** Writes `text` to `out`, through the pager when it is taller than the terminal. */
export async function writePaged(text: string, out: Out = process.stdout, env: Record<string, string | undefined> = process.env): Promise<void> {
  const cmd = pagerFor(text, out, env);
  if (cmd === undefined) {
    out.write(text);
    return;
  }
  const child = spawn(cmd, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: 'FRX', ...env } });
  child.stdin.on('error', () => undefined); // quitting the pager early closes its input
  child.stdin.end(text);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(127));
    child.once('close', resolve);
  });
  // the shell could not run the pager (127: not found, 126: not runnable): print it ourselves
  if (code === 127 || code === 126) out.write(text);
}
