/**
 * The options of `skein exec`, parsed by hand on the fast path (commander costs ~20 ms of
 * start-up that `skein exec -- true` cannot afford). `skein exec --help` goes to commander.
 */

export interface ExecOptions {
  name?: string;
  service?: string;
  attr: string[];
  kind?: string;
  endpoint?: string;
  protocol?: string;
  traceparent?: string;
  carrier?: string;
  quiet?: boolean;
}

const VALUE_FLAGS: Record<string, keyof ExecOptions> = {
  '--name': 'name',
  '-n': 'name',
  '--service': 'service',
  '-s': 'service',
  '--attr': 'attr',
  '-a': 'attr',
  '--kind': 'kind',
  '--endpoint': 'endpoint',
  '-e': 'endpoint',
  '--protocol': 'protocol',
  '--traceparent': 'traceparent',
  '--carrier': 'carrier',
};

/** True when argv (after `exec`) asks for help before the command starts. */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '-h' || a === '--help') return true;
  }
  return false;
}

/** Splits `exec` arguments into options and the command; throws on an unknown option. */
export function parseExecArgs(argv: string[]): { opts: ExecOptions; command: string[] } {
  const opts: ExecOptions = { attr: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--quiet' || a === '-q') {
      opts.quiet = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const key = VALUE_FLAGS[flag];
    if (!key) throw new Error(`unknown option ${flag} for skein exec (see skein exec --help)`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value (see skein exec --help)`);
    if (key === 'attr') opts.attr.push(value);
    else (opts as unknown as Record<string, string>)[key] = value;
  }
  return { opts, command: argv.slice(i) };
}
