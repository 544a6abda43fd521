/** Runs the built `skein serve` as a child process, as users run it, and finds its ports. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SKEIN_BIN = fileURLToPath(new URL('../../packages/cli/bin/skein.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../packages/cli/dist/index.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  addresses: Record<string, string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** CPU time (user + system) the child has used so far, from /proc: all threads, or its main thread. */
  cpuSeconds(mainThreadOnly?: boolean): number;
}

/**
 * The environment and node flags that skein's bin (its `#!/usr/bin/env -S NAME=value node
 * --flag` line) runs serve with, so the benchmarks run serve, and the store, as users do.
 */
export function binLaunch(): { env: Record<string, string>; nodeArgs: string[] } {
  const words = readFileSync(SKEIN_BIN, 'utf8').split('\n')[0]!.replace(/^#!\/usr\/bin\/env -S /, '').split(' ');
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`${SKEIN_BIN}: its first line does not run node`);
  const env = Object.fromEntries(words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, nodeArgs: words.slice(node + 1) };
}

/**
 * Runs this script again with the bin's environment unless it has it already: the store bench
 * opens the store in this process, and glibc reads its tunables only when a process starts.
 */
export function rerunWithBinEnv(): void {
  const { env } = binLaunch();
  if (Object.entries(env).every(([k, v]) => process.env[k] === v)) return;
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...env } });
  process.exit(run.status ?? 1);
}

/** Node flags for the serve child from SKEIN_BENCH_NODE_ARGS (e.g. `--cpu-prof`), for profiling a bench. */
function extraNodeArgs(): string[] {
  return (process.env.SKEIN_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** Starts serve with every listener on an ephemeral port unless args say otherwise. */
export async function startServeProcess(args: string[]): Promise<ServeProcess> {
  if (!existsSync(DIST)) throw new Error('packages/cli/dist is missing: run `npm run build` first');
  const defaults = ['--http', '127.0.0.1:0', '--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0'];
  for (const f of ['--zipkin', '--jaeger-http', '--jaeger-compact', '--jaeger-binary', '--datadog']) defaults.push(f, 'off');
  const { env, nodeArgs } = binLaunch();
  const child = spawn(process.execPath, [...nodeArgs, ...extraNodeArgs(), SKEIN_BIN, 'serve', ...defaults, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const addresses = await new Promise<Record<string, string>>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('skein serve is up')) continue;
        child.stdout!.off('data', onData);
        // SKEIN_BENCH_SERVE_LOG=<file> keeps serve's log (checkpoints, retention) for a closer look.
        if (process.env.SKEIN_BENCH_SERVE_LOG) child.stdout!.pipe(createWriteStream(process.env.SKEIN_BENCH_SERVE_LOG));
        else child.stdout!.resume();
        resolve(JSON.parse(line));
        return;
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`skein serve exited with ${code} before it was up:\n${buf}`)));
  });
  return {
    child,
    addresses,
    cpuSeconds(mainThreadOnly = false) {
      const file = mainThreadOnly ? `/proc/${child.pid}/task/${child.pid}/stat` : `/proc/${child.pid}/stat`;
      const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
    },
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
