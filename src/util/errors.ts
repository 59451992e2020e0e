/** Exit codes shared by every command (docs/ARCHITECTURE.md, "CLI conventions"). */
export const EXIT = { OK: 0, USAGE: 2, INTERNAL: 3 } as const;

/**
 * A problem the user can fix: bad flag, unreadable or corrupt input, unreachable registry.
 * Printed as one line naming the input and the problem; exit code 2; stack only with --debug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.USAGE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Prefix a low-level error with the input it concerns, keeping it a UserError. */
export function inputError(input: string, problem: string, cause?: unknown): UserError {
  return new UserError(`${input}: ${problem}`, EXIT.USAGE, { cause });
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
