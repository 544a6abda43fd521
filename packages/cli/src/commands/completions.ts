/** `skein completions bash|zsh`: completion scripts generated from the command tree itself. */
import type { Command } from 'commander';
import { usageError } from '../errors.js';

export function registerCompletionsCommand(program: Command): void {
  program
    .command('completions')
    .description('print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh')
    .addHelpText(
      'after',
      `
Examples:
  $ skein completions bash > ~/.local/share/bash-completion/completions/skein
  $ echo 'source <(skein completions bash)' >> ~/.bashrc
  $ skein completions zsh > "\${fpath[1]}/_skein"     # then: autoload -U compinit && compinit`,
    )
    .action(async (shell: string) => {
      const { bashCompletion, zshCompletion } = await import('../completions/generate.js');
      if (shell === 'bash') process.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(program));
      else throw usageError(`shell "${shell}" is not supported: use bash or zsh`);
    });
}
