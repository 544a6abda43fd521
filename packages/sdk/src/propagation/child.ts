/** child_process wrappers that hand the active trace context to the child's environment. */

import cp from 'node:child_process';
import type { ChildProcess, ExecException, ExecFileOptions, ExecOptions, SpawnOptions } from 'node:child_process';
import { envWithContext } from './env.js';

type Callback = (error: ExecException | null, stdout: string | Buffer, stderr: string | Buffer) => void;

/** Like child_process.spawn; the child's env gets TRACEPARENT (and TRACESTATE, BAGGAGE) of the active span. */
export function spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  return cp.spawn(command, args, { ...options, env: envWithContext(options.env ?? process.env) });
}

/** Like child_process.execFile (args, options and callback optional); the env carries the active context. */
export function execFile(
  file: string,
  args?: readonly string[] | ExecFileOptions | Callback | null,
  options?: ExecFileOptions | Callback | null,
  callback?: Callback,
): ChildProcess {
  let a: readonly string[] = [];
  let o: ExecFileOptions = {};
  let cb: Callback | undefined = callback;
  for (const x of [args, options]) {
    if (typeof x === 'function') cb = x;
    else if (Array.isArray(x)) a = x;
    else if (x) o = x as ExecFileOptions;
  }
  return cp.execFile(file, a, { ...o, env: envWithContext(o.env ?? process.env) }, cb as Parameters<typeof cp.execFile>[3]);
}

/** Like child_process.exec; the env carries the active context. */
export function exec(command: string, options?: ExecOptions | Callback | null, callback?: Callback): ChildProcess {
  let o: ExecOptions = {};
  let cb = callback;
  if (typeof options === 'function') cb = options;
  else if (options) o = options;
  return cp.exec(command, { ...o, env: envWithContext(o.env ?? process.env) }, cb);
}
