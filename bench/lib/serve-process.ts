/** Runs the built `skein serve` as a child process, as users run it, and finds its ports. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../packages/cli/dist/index.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  addresses: Record<string, string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** CPU time (user + system) the child has used so far, from /proc: all threads, or its main thread. */
  cpuSeconds(mainThreadOnly?: boolean): number;
  /** How long each store checkpoint took (ms), from serve's log: writes wait while one runs. */
  checkpoints: number[];
}

/** CPU time (user + system) process `pid` has used so far, from /proc: all threads, or its main thread. */
export function cpuSecondsOf(pid: number, mainThreadOnly = false): number {
  const file = mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
}

/** The `skein` command users run: a sh launcher that sets up node for serve. */
const SKEIN_LAUNCHER = fileURLToPath(new URL('../../packages/cli/bin/skein', import.meta.url));

/** The allocator settings the launcher exports for serve (glibc's malloc, DuckDB's jemalloc). */
const LAUNCHER_VARS = ['GLIBC_TUNABLES', 'DUCKDB_JE_MALLOC_CONF'];

function launcherEnv(): Record<string, string> {
  const text = readFileSync(SKEIN_LAUNCHER, 'utf8');
  return Object.fromEntries(
    LAUNCHER_VARS.map((name) => {
      const m = new RegExp(`^${name}=(\\S+)$`, 'm').exec(text);
      if (!m) throw new Error(`${SKEIN_LAUNCHER} no longer sets ${name}: update bench/lib/serve-process.ts`);
      return [name, m[1]!];
    }),
  );
}

/**
 * Runs this script again under the launcher's allocator settings unless it has them already:
 * the store bench opens the store in this process, and both allocators read them at start-up.
 */
export function rerunWithLauncherTunables(): void {
  const env = launcherEnv();
  if (Object.entries(env).every(([k, v]) => process.env[k] === v)) return;
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...env } });
  process.exit(run.status ?? 1);
}

/** Starts serve with every listener on an ephemeral port unless args say otherwise. */
export async function startServeProcess(args: string[]): Promise<ServeProcess> {
  if (!existsSync(DIST)) throw new Error('packages/cli/dist is missing: run `npm run build` first');
  const defaults = ['--http', '127.0.0.1:0', '--otlp-http', '127.0.0.1:0', '--otlp-grpc', '127.0.0.1:0'];
  for (const f of ['--zipkin', '--jaeger-http', '--jaeger-compact', '--jaeger-binary', '--datadog']) defaults.push(f, 'off');
  // Through the launcher, as users run it; SKEIN_BENCH_NODE_ARGS (e.g. `--cpu-prof`) profiles it.
  const child = spawn(SKEIN_LAUNCHER, ['serve', ...defaults, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SKEIN_NODE_ARGS: process.env.SKEIN_BENCH_NODE_ARGS ?? '' },
  });
  const checkpoints: number[] = [];
  const addresses = await new Promise<Record<string, string>>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('skein serve is up')) continue;
        child.stdout!.off('data', onData);
        // SKEIN_BENCH_SERVE_LOG=<file> keeps serve's log (checkpoints, retention) for a closer look.
        if (process.env.SKEIN_BENCH_SERVE_LOG) child.stdout!.pipe(createWriteStream(process.env.SKEIN_BENCH_SERVE_LOG));
        createInterface({ input: child.stdout! }).on('line', (l) => {
          if (!l.includes('"duckdb store: checkpoint"')) return;
          const ms = (JSON.parse(l) as { ms?: unknown }).ms;
          if (typeof ms === 'number') checkpoints.push(ms);
        });
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
    checkpoints,
    cpuSeconds: (mainThreadOnly = false) => cpuSecondsOf(child.pid!, mainThreadOnly),
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
