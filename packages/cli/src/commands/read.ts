/** Reading traces: `trace show`, `search`, `services`, `tail` (filled in below). */
import type { Command } from 'commander';

export function registerReadCommands(_program: Command): void {}
