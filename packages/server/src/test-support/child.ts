/** Runs TypeScript entry points of this repo in real child processes (tsx, source condition). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export function spawnTs(entry: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry, ...args], {
    cwd: REPO,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts serve in a child process; resolves with its bound addresses. */
export async function startServeChild(options: Record<string, unknown>): Promise<{ child: ChildProcess; addresses: Record<string, string> }> {
  const entry = fileURLToPath(new URL('./serve-main.ts', import.meta.url));
  const child = spawnTs(entry, [JSON.stringify(options)]);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const addresses = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"up"'));
      if (line) resolve(JSON.parse(line).up);
    });
    child.once('exit', (code) => reject(new Error(`serve child exited with ${code}: ${err}`)));
  });
  return { child, addresses };
}
