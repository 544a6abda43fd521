/** Moving traces: `import`, `export`. */
import type { Command } from 'commander';

export function registerMoveCommands(_program: Command): void {}
