/**
 * Raised by the readers in src/image (tar, compression, digests, image JSON) when the data
 * itself is wrong: truncated, corrupt, hostile or over a limit. Callers that know which input
 * it came from turn it into a one-line `inputError`; anything else escaping is a bug.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/** Errors that describe bad input data rather than a bug: ours, zlib's and the file system's. */
export function isDataError(err: unknown): err is Error {
  if (err instanceof FormatError) return true;
  if (!(err instanceof Error)) return false;
  const e = err as NodeJS.ErrnoException;
  return (
    typeof e.code === 'string' && (e.code.startsWith('Z_') || e.code.startsWith('ERR_ZLIB') || !!e.syscall)
  );
}
