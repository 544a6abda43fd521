/** Runs a TypeScript child script in a real node process (tsx, source conditions), with env and signals. */

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const childScript = (name: string): string => fileURLToPath(new URL(`./children/${name}`, import.meta.url));
export const NODE_ARGS = ['--conditions=source', '--import', 'tsx'];

export interface ChildRun {
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (or the signal name). */
  done: Promise<number | string>;
  /** Resolves when stdout contains `text`. */
  waitOutput(text: string, ms?: number): Promise<void>;
}

export function runChild(script: string, env: Record<string, string | undefined>, args: string[] = []): ChildRun {
  const proc = spawn(process.execPath, [...NODE_ARGS, script, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: ChildRun = {
    proc,
    stdout: '',
    stderr: '',
    done: new Promise((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig ?? -1))),
    waitOutput(text, ms = 15_000) {
      return new Promise((resolve, reject) => {
        if (run.stdout.includes(text)) return resolve();
        const t = setTimeout(() => reject(new Error(`child did not print "${text}"; stdout: ${run.stdout} stderr: ${run.stderr}`)), ms);
        proc.stdout!.on('data', () => {
          if (run.stdout.includes(text)) {
            clearTimeout(t);
            resolve();
          }
        });
      });
    },
  };
  proc.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

/** The environment for a child: this process's minus OTEL_/SKEIN_/carrier variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(OTEL_|SKEIN_|TRACEPARENT|TRACESTATE|BAGGAGE)/.test(k)) out[k] = v;
  }
  return { ...out, ...extra };
}
