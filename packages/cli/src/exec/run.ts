/**
 * `skein exec`: runs a command inside a span. The child starts first (its run hides the cost of
 * loading the exporter), inherits stdio untouched and gets a TRACEPARENT naming this span;
 * signals sent to skein reach it; its exit code or signal becomes skein's own.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CliSpan, CliValue } from '../trace/cli-span.js';
import { parseAttr, parseKind } from '../trace/cli-span.js';
import { formatTraceparent, nowNs, randomHex } from '../trace/context.js';
import { resolveParent, resolveService } from '../trace/parent.js';
import type { ExecOptions } from './options.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

/** Runs the command and ends the process with its exit status; never returns. */
export async function runExec(opts: ExecOptions, command: string[]): Promise<never> {
  if (command.length === 0) fatal('skein exec needs a command, e.g. `skein exec -- make test`');
  const startNs = nowNs();
  let attributes: Array<[string, CliValue]>;
  let kind: number;
  try {
    attributes = opts.attr.map(parseAttr);
    kind = parseKind(opts.kind);
  } catch (e) {
    fatal((e as Error).message);
  }
  const parent = resolveParent(opts);
  const traceId = parent?.traceId ?? randomHex(32);
  const spanId = randomHex(16);
  const flags = parent?.flags ?? 1;
  const service = resolveService(opts.service);

  // set on our own environment, which the child inherits: one copy instead of two
  const env = process.env;
  env.TRACEPARENT = formatTraceparent(traceId, spanId, flags);
  if (parent?.traceState) env.TRACESTATE = parent.traceState;
  if (opts.service !== undefined) env.SKEIN_SERVICE_NAME = opts.service;
  if (opts.endpoint !== undefined) env.SKEIN_ENDPOINT = opts.endpoint;
  if (opts.protocol !== undefined) env.SKEIN_PROTOCOL = opts.protocol;
  if (opts.quiet) env.SKEIN_QUIET = '1';

  // Handlers go in before the spawn: a signal that arrived between the spawn and the handlers
  // would otherwise kill skein with its default action and orphan the command.
  // eslint-disable-next-line prefer-const -- assigned after the handlers that read it exist
  let child: ReturnType<typeof spawn> | undefined;
  const early: NodeJS.Signals[] = [];
  const forward = (sig: NodeJS.Signals): void => {
    if (!child) early.push(sig);
    else if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const sig of FORWARDED) process.on(sig, forward);
  child = spawn(command[0]!, command.slice(1), { stdio: 'inherit' });
  for (const sig of early) forward(sig);
  const deliverModule = import('../export/deliver.js');
  deliverModule.catch(() => undefined);

  const outcome = await new Promise<Outcome>((resolve) => {
    child!.once('exit', (code, signal) => resolve({ code, signal }));
    child!.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
  });
  const endNs = nowNs();
  const exitCode = outcome.error ? (outcome.error.code === 'ENOENT' ? 127 : 126) : (outcome.code ?? 0);
  if (outcome.error) {
    const why = outcome.error.code === 'ENOENT' ? 'command not found' : outcome.error.message;
    process.stderr.write(`skein: ${command[0]}: ${why}\n`);
  }

  attributes.push(['process.command', command[0]!], ['process.command_args', command], );
  if (child.pid !== undefined) attributes.push(['process.pid', BigInt(child.pid)]);
  let statusMessage = '';
  if (outcome.signal) {
    attributes.push(['process.exit.signal', outcome.signal]);
    statusMessage = `killed by ${outcome.signal}`;
  } else {
    attributes.push(['process.exit.code', BigInt(exitCode)]);
    if (outcome.error) statusMessage = `${command[0]}: ${outcome.error.code === 'ENOENT' ? 'command not found' : outcome.error.message}`;
    else if (exitCode !== 0) statusMessage = `exit code ${exitCode}`;
  }
  const span: CliSpan = {
    traceId,
    spanId,
    parentSpanId: parent?.spanId ?? '',
    traceState: parent?.traceState ?? '',
    flags,
    name: opts.name ?? defaultName(command),
    kind,
    startNs,
    endNs,
    attributes,
    events: [],
    statusCode: statusMessage ? 2 : 0,
    statusMessage,
    service,
  };
  const { deliverSpans } = await deliverModule;
  await deliverSpans([span], { ...opts, root: !parent });

  if (outcome.signal) {
    for (const sig of FORWARDED) process.removeListener(sig, forward);
    process.kill(process.pid, outcome.signal);
    // a signal whose default action is not to terminate: report it the way shells do
    setTimeout(() => process.exit(128 + (constants.signals[outcome.signal!] ?? 0)), 100);
    await new Promise(() => undefined);
  }
  process.exit(exitCode);
}

/** The command line as a span name, shortened: operation names should stay readable. */
function defaultName(command: string[]): string {
  const base = command[0]!.replace(/^.*\//, '');
  const line = [base, ...command.slice(1)].join(' ');
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}

function fatal(message: string): never {
  process.stderr.write(`skein: ${message}\n`);
  process.exit(2);
}
