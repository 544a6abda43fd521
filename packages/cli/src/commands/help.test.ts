/** Help with examples for every command, --version, and completion scripts that shells accept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../test-support/cli-build.js';
import { run } from '../test-support/run.js';

let cli: BuiltCli;
const skein = (...args: string[]) => run(cli.argv[0]!, [cli.argv[1]!, ...args]);
beforeAll(async () => {
  cli = await buildCli();
}, 120_000);
afterAll(async () => {
  await cli?.cleanup();
});

describe('help and completions', () => {
  it('prints the version and help with examples for every command', async () => {
    const commands = [[], ['exec'], ['span'], ['span', 'start'], ['span', 'event'], ['span', 'end'], ['trace', 'show'], ['search'], ['services'], ['tail'], ['import'], ['export'], ['completions'], ['serve']];
    const [version, ...helps] = await Promise.all([skein('--version'), ...commands.map((c) => skein(...c, '--help'))]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    helps.forEach((h, i) => {
      expect(h.code, commands[i]!.join(' ')).toBe(0);
      expect(h.stdout, commands[i]!.join(' ')).toContain(`Usage: skein ${commands[i]!.join(' ')}`.trimEnd());
      expect(h.stdout, commands[i]!.join(' ')).toContain('Examples:');
      expect(h.stdout.slice(h.stdout.indexOf('Examples:')), commands[i]!.join(' ')).toMatch(/\n\s+(\$ )?skein \S/);
    });
  }, 90_000);

  it('names the problem and the fix for bad input', async () => {
    const [unknown, badOpt, noCmd, badAttr] = await Promise.all([
      skein('exce'),
      skein('exec', '--bogus', '--', 'true'),
      skein('exec'),
      skein('exec', '--attr', 'oops', '--', 'true'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('(Did you mean exec?)');
    expect(badOpt).toMatchObject({ code: 2 });
    expect(badOpt.stderr).toContain('unknown option --bogus for skein exec (see skein exec --help)');
    expect(noCmd.stderr).toContain('skein exec needs a command, e.g. `skein exec -- make test`');
    expect(badAttr.stderr).toContain('--attr "oops" is not key=value');
  }, 60_000);

  it('writes bash and zsh completion scripts the shells parse', async () => {
    const [bash, zsh] = await Promise.all([skein('completions', 'bash'), skein('completions', 'zsh')]);
    expect(bash.stdout).toContain('complete -F _skein skein');
    expect(bash.stdout).toContain('"span start") words="');
    expect(zsh.stdout).toMatch(/^#compdef skein/);
    expect(zsh.stdout).toContain("'exec:run a command inside a span");
    const check = await run('bash', ['-c', `${bash.stdout}\nCOMP_WORDS=(skein span st); COMP_CWORD=2; _skein; echo "\${COMPREPLY[*]}"`]);
    expect(check.stdout.trim()).toBe('start');
    const opts = await run('bash', ['-c', `${bash.stdout}\nCOMP_WORDS=(skein trace show abc --w); COMP_CWORD=4; _skein; echo "\${COMPREPLY[*]}"`]);
    expect(opts.stdout.trim()).toBe('--width');
    const bad = await skein('completions', 'fish');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use bash or zsh');
  }, 60_000);
});
