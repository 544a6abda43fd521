/** `skein forward`: placeholder until the forwarder's owner replaces this file. */
import type { Command } from 'commander';

export function registerForwardCommand(program: Command): void {
  program
    .command('forward')
    .description('span proxy: take spans over unix sockets, vsock or TCP, spool them, fan them out')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('skein forward: not yet available\n');
      process.exit(2);
    });
}
