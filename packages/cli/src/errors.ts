/**
 * The CLI's catalogue of user-facing errors. Each has a stable code (never reused) and says
 * what to do; `main` prints `skein: CODE message` and exits with the error's exit status.
 */

export const ERRORS = {
  SKEIN_CLI_USAGE: 2,
  SKEIN_CLI_UNREACHABLE: 3,
  SKEIN_CLI_NOT_FOUND: 4,
  SKEIN_CLI_BAD_INPUT: 5,
  SKEIN_CLI_API: 6,
  SKEIN_CLI_UNAVAILABLE: 7,
} as const;
export type ErrorCode = keyof typeof ERRORS;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = ERRORS[code];
  }
}

export const usageError = (message: string): CliError => new CliError('SKEIN_CLI_USAGE', message);
